package dev.tween.api;

import dev.tween.metrics.Metrics;
import io.javalin.config.RoutesConfig;

/** Latency of every answer, per method, route and status, for /metrics. */
final class RouteLatency {
  private static final String STARTED = "tween.started";

  private RouteLatency() {}

  static void install(RoutesConfig routes, Metrics metrics) {
    routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
    routes.after(
        ctx -> {
          Long started = ctx.attribute(STARTED);
          var endpoint = ctx.endpoints().lastHttpEndpoint();
          if (started != null) {
            metrics.httpRequest(
                ctx.method().name(),
                endpoint == null ? "unmatched" : endpoint.path,
                ctx.statusCode(),
                System.nanoTime() - started);
          }
        });
  }
}
