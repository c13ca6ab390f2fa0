package dev.tween.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.tween.fetch.AddressPolicy;
import dev.tween.health.DependencyUnavailableException;
import dev.tween.keys.Principal;
import dev.tween.metrics.Metrics;
import dev.tween.storage.BlobStore;
import dev.tween.storage.UrlSigner;
import dev.tween.store.TaskStore;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP surface: routes, authentication, body limits and the contract's error bodies. */
public final class HttpApi {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  private static final String TENANT = "tween.tenant";
  private static final String PRINCIPAL = "tween.principal";
  private static final String STARTED = "tween.started";
  static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module());

  private final Settings settings;
  private final ApiKeys keys;
  private final SubmitParser parser;
  private final Submissions submissions;
  private final TaskStore store;
  private final TaskViews views;
  private final BlobStore blobs;
  private final UrlSigner signer;
  private final BooleanSupplier ready;
  private final Metrics metrics;
  private final AccountRoutes accounts;
  private final LargeBodies largeBodies;

  /** The HTTP share of the configuration. */
  public record Settings(
      String host,
      int port,
      String submitRoute,
      List<String> submitAliases,
      long maxBodyBytes,
      AddressPolicy addresses,
      Models models) {

    public Settings(
        String host,
        int port,
        String submitRoute,
        List<String> submitAliases,
        long maxBodyBytes,
        AddressPolicy addresses) {
      this(
          host,
          port,
          submitRoute,
          submitAliases,
          maxBodyBytes,
          addresses,
          Models.of(List.of(""), submitRoute, submitAliases));
    }
  }

  public HttpApi(
      Settings settings,
      ApiKeys keys,
      Submissions submissions,
      TaskStore store,
      TaskViews views,
      BlobStore blobs,
      UrlSigner signer,
      BooleanSupplier ready,
      Metrics metrics,
      AccountRoutes accounts) {
    this.metrics = metrics;
    this.accounts = accounts;
    this.settings = settings;
    this.keys = keys;
    var random = new java.security.SecureRandom();
    this.parser = new SubmitParser(settings.addresses(), () -> random.nextLong() & 0xFFFF_FFFFL);
    this.submissions = submissions;
    this.store = store;
    this.views = views;
    this.blobs = blobs;
    this.signer = signer;
    this.ready = ready;
    this.largeBodies = LargeBodies.forHeap(settings.maxBodyBytes());
    log.info(
        "event=large_bodies_bounded at_once={} heap_max_mib={}",
        largeBodies.count(),
        Runtime.getRuntime().maxMemory() >> 20);
  }

  /** A node serving the whole API. */
  public Javalin create() {
    return Javalin.create(
        config -> {
          server(config);
          observe(config.routes);
          api(config.routes);
          health(config.routes);
          errors(config.routes);
        });
  }

  /**
   * A worker-role node: only /healthz, /readyz and /metrics, so no API traffic can reach it by
   * mistake.
   */
  public Javalin createHealthOnly() {
    return Javalin.create(
        config -> {
          server(config);
          observe(config.routes);
          health(config.routes);
          errors(config.routes);
        });
  }

  /** A route as registered, for the OpenAPI consistency test. */
  public record Route(String method, String path) {}

  private final List<Route> registered = new java.util.ArrayList<>();

  public List<Route> routes() {
    return List.copyOf(registered);
  }

  private void server(JavalinConfig config) {
    config.jetty.host = settings.host();
    config.jetty.port = settings.port();
    config.jsonMapper(new JavalinJackson(JSON, false));
    config.http.prefer405over404 = true;
    config.http.maxRequestSize = settings.maxBodyBytes();
    config.startup.showJavalinBanner = false;
    config.concurrency.useVirtualThreads = true;
  }

  /** Latency per route for /metrics. */
  private void observe(RoutesConfig routes) {
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

  private void api(RoutesConfig routes) {
    routes.before("/v3/*", this::authenticate);
    for (Models.Model m : settings.models().models()) {
      for (String path : m.routes()) route(routes, "POST", path, ctx -> submit(ctx, m.generator()));
    }
    route(
        routes, "GET", "/v3/models", ctx -> ctx.json(Map.of("models", settings.models().models())));
    route(routes, "GET", "/v3/async/task-result", this::taskResult);
    route(routes, "POST", "/v3/async/tasks/{task_id}/cancel", this::cancel);
    route(routes, "GET", "/v3/async/tasks", new TaskListing(store, views)::handle);
    // Decided before the stream opens, so an unknown or foreign task is a plain JSON 404, not a 200
    // stream.
    routes.before("/v3/async/tasks/{task_id}/events", this::requireTask);
    routes.sse("/v3/async/tasks/{task_id}/events", new TaskEvents(store, views)::handle);
    registered.add(new Route("GET", "/v3/async/tasks/{task_id}/events"));
    route(routes, "GET", "/v1/videos/{task}/{file}", this::video);
    route(
        routes,
        "POST",
        "/v1/admin/keys",
        ctx -> {
          accounts.requireAdmin(ctx);
          accounts.create(ctx);
        });
    route(
        routes,
        "GET",
        "/v1/admin/keys",
        ctx -> {
          accounts.requireAdmin(ctx);
          accounts.list(ctx);
        });
    route(
        routes,
        "DELETE",
        "/v1/admin/keys/{id}",
        ctx -> {
          accounts.requireAdmin(ctx);
          accounts.revoke(ctx);
        });
    route(routes, "GET", "/v1/usage", this::usage);
    route(routes, "GET", "/", ctx -> ctx.html(WebPage.INDEX));
    route(
        routes,
        "GET",
        "/openapi.json",
        ctx -> ctx.contentType("application/json").result(WebPage.OPENAPI));
  }

  private void health(RoutesConfig routes) {
    route(routes, "GET", "/healthz", ctx -> ctx.json(Map.of("status", "ok")));
    route(routes, "GET", "/readyz", this::readiness);
    route(
        routes,
        "GET",
        "/metrics",
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
  }

  /** The contract's error body for every non-2xx answer, including the framework's own 404/405. */
  private void errors(RoutesConfig routes) {
    routes.exception(ApiException.class, (e, ctx) -> writeError(ctx, e));
    routes.exception(HttpResponseException.class, (e, ctx) -> writeError(ctx, fromJavalin(e)));
    routes.exception(
        DependencyUnavailableException.class,
        (e, ctx) -> {
          metrics.unavailableAnswer(
              e.dependency()); // the circuit logged the outage once; no line per request
          writeError(
              ctx,
              new ApiException(
                  503,
                  "SERVICE_UNAVAILABLE",
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
          writeError(
              ctx,
              new ApiException(500, "INTERNAL_ERROR", "internal error; it was logged", Map.of()));
        });
    routes.error(
        404,
        ctx -> {
          if (!hasErrorBody(ctx))
            writeError(
                ctx,
                new ApiException(
                    404, "NOT_FOUND", "no route " + ctx.method() + " " + ctx.path(), Map.of()));
        });
    routes.error(
        405,
        ctx -> {
          if (!hasErrorBody(ctx))
            writeError(
                ctx,
                new ApiException(
                    405,
                    "METHOD_NOT_ALLOWED",
                    ctx.method() + " is not allowed on " + ctx.path(),
                    Map.of()));
        });
  }

  private void route(
      RoutesConfig routes, String method, String path, io.javalin.http.Handler handler) {
    switch (method) {
      case "GET" -> routes.get(path, handler);
      case "DELETE" -> routes.delete(path, handler);
      default -> routes.post(path, handler);
    }
    registered.add(new Route(method, path));
  }

  private void authenticate(Context ctx) {
    String header = ctx.header("Authorization");
    // EventSource cannot send headers: the event stream alone also takes the key as ?key=.
    if (header == null && ctx.path().endsWith("/events")) header = ctx.queryParam("key");
    String sent = header;
    var principal =
        keys.tenantOf(sent)
            .map(Principal::configured)
            .or(() -> ApiKeys.secretOf(sent).flatMap(accounts::authenticate));
    if (principal.isEmpty()) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new ApiException(
          401,
          "UNAUTHORIZED",
          header == null ? "missing API key: send Authorization: Bearer <key>" : "unknown API key",
          Map.of());
    }
    ctx.attribute(TENANT, principal.get().tenant());
    ctx.attribute(PRINCIPAL, principal.get());
  }

  /** The admin key sees every key's usage; any other key its own. */
  private void usage(Context ctx) {
    if (accounts.isAdmin(ctx)) {
      accounts.usage(ctx, Optional.empty());
      return;
    }
    authenticate(ctx);
    accounts.usage(ctx, Optional.of(ctx.attribute(PRINCIPAL)));
  }

  static String tenant(Context ctx) {
    return ctx.attribute(TENANT);
  }

  private void submit(Context ctx, String generator) throws IOException {
    Principal principal = ctx.attribute(PRINCIPAL);
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
        long left = settings.maxBodyBytes() + 1;
        for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; )
          left -= n;
      }
      throw busy;
    }
  }

  /** Reads the body but refuses, without buffering it, one larger than the limit (413). */
  private byte[] readBounded(Context ctx) throws IOException {
    long max = settings.maxBodyBytes();
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

  private void taskResult(Context ctx) {
    String id = ctx.queryParam("task_id");
    if (id == null || id.isBlank())
      throw ApiException.invalid("task_id", "query parameter is required");
    var task =
        store.find(tenant(ctx), id).orElseThrow(() -> ApiException.notFound("no task " + id));
    ctx.json(views.render(task));
  }

  private void requireTask(Context ctx) {
    String id = ctx.pathParam("task_id");
    if (store.find(tenant(ctx), id).isEmpty()) throw ApiException.notFound("no task " + id);
  }

  /**
   * Cancels a queued task at once and a running one as soon as its worker notices (within a second
   * or two).
   */
  private void cancel(Context ctx) {
    String tenant = tenant(ctx);
    String id = ctx.pathParam("task_id");
    switch (store.requestCancel(tenant, id)) {
      case NOT_FOUND -> throw ApiException.notFound("no task " + id);
      case ALREADY_FINAL -> {
        var t = store.find(tenant, id).orElseThrow(() -> ApiException.notFound("no task " + id));
        if (t.status() != dev.tween.task.TaskStatus.CANCELED) {
          throw new ApiException(
              409,
              "TASK_ALREADY_FINISHED",
              "task " + id + " already ended as " + t.status().wire(),
              Map.of("status", t.status().wire()));
        }
      }
      case CANCELED ->
          accounts.ledger().settle(id); // the reservation is free for the next submit at once
      case CANCEL_REQUESTED -> {}
    }
    ctx.json(views.render(store.find(tenant, id).orElseThrow()));
  }

  private void video(Context ctx) throws IOException {
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

  private void readiness(Context ctx) {
    boolean ok = ready.getAsBoolean();
    ctx.status(ok ? 200 : 503).json(Map.of("status", ok ? "ready" : "not ready"));
  }

  private static boolean hasErrorBody(Context ctx) {
    return Boolean.TRUE.equals(ctx.attribute("tween.error-written"));
  }

  private static void writeError(Context ctx, ApiException e) {
    ctx.attribute("tween.error-written", true);
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
