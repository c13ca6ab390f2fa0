package dev.tween.api;

import dev.tween.storage.BlobStore;
import dev.tween.storage.UrlSigner;
import dev.tween.store.TaskStore;
import dev.tween.task.Task;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;

/**
 * {@code GET /v1/videos/{task}/{file}}: a signed link, checked without the API key, streamed from
 * the blob store whole or as one {@code Range}. Once the task's retention has ended its links
 * answer 410.
 */
record VideoRoute(BlobStore blobs, UrlSigner signer, TaskStore store) {

  void handle(Context ctx) throws IOException {
    String task = ctx.pathParam("task");
    String path = "/v1/videos/" + task + "/" + ctx.pathParam("file");
    var verdict = signer.verify(path, ctx.queryParam("expires"), ctx.queryParam("sig"));
    if (verdict == UrlSigner.Verdict.INVALID)
      throw new ApiException(403, "FORBIDDEN", "the link's signature is invalid", Map.of());
    var expired = store.findById(task).flatMap(Task::expiredAt);
    if (expired.isPresent()) {
      throw new ApiException(
          410,
          "VIDEO_EXPIRED",
          "this file was deleted at "
              + expired.get()
              + ", when the task's retention ended; task-result still tells how it ended",
          Map.of("expired_at", expired.get().toString()));
    }
    if (verdict == UrlSigner.Verdict.EXPIRED) {
      throw new ApiException(
          403,
          "LINK_EXPIRED",
          "the link expired; ask task-result again for a fresh video_url",
          Map.of());
    }
    String key = path.substring("/v1/".length());
    long size = blobs.size(key).orElseThrow(() -> ApiException.notFound("no such video"));
    ctx.header("Cache-Control", "private, max-age=300");
    ctx.header("Accept-Ranges", "bytes");
    String type = key.endsWith(".jpg") ? "image/jpeg" : "video/mp4";
    ctx.contentType(type);
    var range = ByteRange.parse(ctx.header("Range"), size);
    if (range.isEmpty()) {
      ctx.header("Content-Length", Long.toString(size));
      ctx.result(blobs.open(key, 0, size));
      return;
    }
    ByteRange r = range.get();
    ctx.status(206);
    ctx.header("Content-Range", "bytes " + r.start() + "-" + r.endInclusive() + "/" + size);
    ctx.header("Content-Length", Long.toString(r.length()));
    ctx.result(blobs.open(key, r.start(), r.length()));
  }
}
