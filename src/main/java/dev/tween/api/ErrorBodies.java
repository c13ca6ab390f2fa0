package dev.tween.api;

import dev.tween.disk.DiskSpace;
import dev.tween.health.DependencyUnavailableException;
import dev.tween.metrics.Metrics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The contract's error body for every non-2xx answer, including the framework's own 404/405. */
final class ErrorBodies {
  private static final Logger log = LoggerFactory.getLogger(ErrorBodies.class);
  private static final String WRITTEN = "tween.error-written";

  private ErrorBodies() {}

  static void install(RoutesConfig routes, Metrics metrics) {
    routes.exception(ApiException.class, (e, ctx) -> write(ctx, e));
    routes.exception(HttpResponseException.class, (e, ctx) -> write(ctx, fromJavalin(e)));
    routes.exception(
        DependencyUnavailableException.class,
        (e, ctx) -> {
          // the circuit logged the outage once; no line per request
          metrics.unavailableAnswer(e.dependency());
          boolean diskFull = e.dependency().equals(DiskSpace.DEPENDENCY);
          write(
              ctx,
              new ApiException(
                  diskFull ? 507 : 503,
                  diskFull ? "INSUFFICIENT_STORAGE" : "SERVICE_UNAVAILABLE",
                  e.getMessage(),
                  Map.of(
                      "dependency",
                      e.dependency(),
                      "retry_after_seconds",
                      Math.max(1, e.retryAfter().toSeconds()))));
        });
    routes.exception(
        Exception.class,
        (e, ctx) -> {
          log.error(
              "event=http_unhandled method={} path={} error=\"{}\"",
              ctx.method(),
              ctx.path(),
              e.toString(),
              e);
          write(
              ctx,
              new ApiException(500, "INTERNAL_ERROR", "internal error; it was logged", Map.of()));
        });
    routes.error(
        404,
        ctx -> {
          if (!written(ctx))
            write(
                ctx,
                new ApiException(
                    404, "NOT_FOUND", "no route " + ctx.method() + " " + ctx.path(), Map.of()));
        });
    routes.error(
        405,
        ctx -> {
          if (!written(ctx))
            write(
                ctx,
                new ApiException(
                    405,
                    "METHOD_NOT_ALLOWED",
                    ctx.method() + " is not allowed on " + ctx.path(),
                    Map.of()));
        });
  }

  private static boolean written(Context ctx) {
    return Boolean.TRUE.equals(ctx.attribute(WRITTEN));
  }

  private static void write(Context ctx, ApiException e) {
    ctx.attribute(WRITTEN, true);
    if (e.metadata().get("retry_after_seconds") instanceof Long s)
      ctx.header("Retry-After", Long.toString(s));
    ctx.status(e.status()).json(e.body());
  }

  private static ApiException fromJavalin(HttpResponseException e) {
    return switch (e.getStatus()) {
      case 413 -> new ApiException(413, "PAYLOAD_TOO_LARGE", e.getMessage(), Map.of());
      case 400 -> new ApiException(400, "INVALID_REQUEST_BODY", e.getMessage(), Map.of());
      case 404 -> new ApiException(404, "NOT_FOUND", e.getMessage(), Map.of());
      case 405 -> new ApiException(405, "METHOD_NOT_ALLOWED", e.getMessage(), Map.of());
      default -> new ApiException(e.getStatus(), "HTTP_" + e.getStatus(), e.getMessage(), Map.of());
    };
  }
}
