package dev.tween.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST} of a submit route: disk room, rate and capacity first, then the body, read within
 * its limits (413 over the size, 503 when too many large bodies are in flight), parsed and queued.
 */
record SubmitRoute(
    SubmitParser parser, Submissions submissions, LargeBodies largeBodies, long maxBodyBytes) {
  private static final Logger log = LoggerFactory.getLogger(SubmitRoute.class);

  /** Large bodies are let in as many at once as the heap holds. */
  static SubmitRoute of(SubmitParser parser, Submissions submissions, long maxBodyBytes) {
    var largeBodies = LargeBodies.forHeap(maxBodyBytes);
    log.info(
        "event=large_bodies_bounded at_once={} heap_max_mib={}",
        largeBodies.count(),
        Runtime.getRuntime().maxMemory() >> 20);
    return new SubmitRoute(parser, submissions, largeBodies, maxBodyBytes);
  }

  void handle(Context ctx, String generator) throws IOException {
    var principal = Authentication.principal(ctx);
    submissions.checkRoom();
    submissions.checkRate(principal);
    submissions.checkCapacity(); // load shedding answers before the body is read
    Optional<String> idempotencyKey = idempotencyKey(ctx);
    String id;
    try (var permit = enterOrDiscard(ctx)) {
      byte[] body = readBounded(ctx);
      Submission s = parser.parse(body);
      id = submissions.submit(principal, generator, s, idempotencyKey, body);
    }
    ctx.json(Map.of("task_id", id));
  }

  private static Optional<String> idempotencyKey(Context ctx) {
    String k = ctx.header("Idempotency-Key");
    if (k == null) return Optional.empty();
    if (k.isBlank() || k.length() > 255 || !k.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e)) {
      throw new ApiException(
          400,
          "INVALID_REQUEST_BODY",
          "Idempotency-Key: must be 1 to 255 visible ASCII characters",
          Map.of("header", "Idempotency-Key"));
    }
    return Optional.of(k);
  }

  /**
   * A permit to read a large body; when none frees up in time, the body is read and thrown away
   * before the 503, so a client still uploading gets the answer instead of a reset connection.
   */
  private LargeBodies.Permit enterOrDiscard(Context ctx) throws IOException {
    try {
      return largeBodies.enter(ctx.req().getContentLengthLong());
    } catch (ApiException busy) {
      try (InputStream in = ctx.req().getInputStream()) {
        byte[] sink = new byte[64 * 1024];
        long left = maxBodyBytes + 1;
        for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; )
          left -= n;
      }
      throw busy;
    }
  }

  /** Reads the body but refuses, without buffering it, one larger than the limit (413). */
  private byte[] readBounded(Context ctx) throws IOException {
    long max = maxBodyBytes;
    long declared = ctx.req().getContentLengthLong();
    if (declared > max) throw tooLarge(max);
    try (InputStream in = ctx.req().getInputStream()) {
      if (declared >= 0) {
        // One array of the declared size: readNBytes(n) would gather chunks and copy them (twice
        // the memory).
        byte[] b = new byte[(int) declared];
        int n = in.readNBytes(b, 0, b.length);
        if (n < b.length)
          throw ApiException.invalid(
              "body", "ended after " + n + " of its " + declared + " declared bytes");
        return b;
      }
      byte[] b = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
      if (b.length > max) throw tooLarge(max);
      return b;
    }
  }

  private static ApiException tooLarge(long max) {
    return new ApiException(
        413,
        "PAYLOAD_TOO_LARGE",
        "request body is larger than " + max + " bytes",
        Map.of("limit_bytes", max));
  }
}
