package dev.tween.api;

import dev.tween.storage.BlobStore;
import dev.tween.storage.UrlSigner;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;

/**
 * {@code GET /v1/videos/{task}/{file}}: a signed link, checked without the API key, streamed from
 * the blob store whole or as one {@code Range}.
 */
record VideoRoute(BlobStore blobs, UrlSigner signer) {

  void handle(Context ctx) throws IOException {
    String path = "/v1/videos/" + ctx.pathParam("task") + "/" + ctx.pathParam("file");
    switch (signer.verify(path, ctx.queryParam("expires"), ctx.queryParam("sig"))) {
      case INVALID ->
          throw new ApiException(403, "FORBIDDEN", "the link's signature is invalid", Map.of());
      case EXPIRED ->
          throw new ApiException(
              403,
              "LINK_EXPIRED",
              "the link expired; ask task-result again for a fresh video_url",
              Map.of());
      case VALID -> {}
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
