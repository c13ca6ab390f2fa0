package dev.tween.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.tween.fetch.AddressPolicy;
import dev.tween.gateway.Gateway;
import dev.tween.generate.Catalog;
import dev.tween.keys.KeyRing;
import dev.tween.keys.Ledger;
import dev.tween.keys.RateLimiter;
import dev.tween.keys.Usage;
import dev.tween.metrics.Metrics;
import dev.tween.storage.BlobStore;
import dev.tween.storage.UrlSigner;
import dev.tween.store.IdempotencyKeys;
import dev.tween.store.TaskStore;
import dev.tween.task.Task;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.json.JavalinJackson;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The HTTP server: its settings and the table of routes. Each route's work lives in a class of its
 * own ({@link SubmitRoute}, {@link TaskRoutes}, {@link VideoRoute}, {@link AccountRoutes}); who is
 * calling in {@link Authentication}; error bodies in {@link ErrorBodies}; latency in {@link
 * RouteLatency}.
 */
public final class HttpApi {
  static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module());

  private final Settings settings;
  private final Authentication auth;
  private final SubmitRoute submit;
  private final TaskRoutes tasks;
  private final VideoRoute video;
  private final TaskStore store;
  private final TaskViews views;
  private final BooleanSupplier ready;
  private final Metrics metrics;
  private final AccountRoutes accounts;
  private final Models models;
  private final Function<String, List<Gateway.DeploymentView>> deployments;
  private final List<Route> registered = new ArrayList<>();
  private volatile Javalin javalin;

  /**
   * The HTTP share of the configuration.
   *
   * @param generators the generators this node serves, each on its own model route
   * @param apiKeys the configured keys ({@code TWEEN_API_KEYS}, or the generated one)
   * @param adminKey the key of the admin routes; blank: they answer 404
   * @param publicUrl the URL clients reach this node at, for video links; blank: {@code
   *     http://localhost:<port>}
   */
  public record Settings(
      String host,
      int port,
      String publicUrl,
      String submitRoute,
      List<String> submitAliases,
      long maxBodyBytes,
      AddressPolicy addresses,
      List<String> generators,
      List<String> apiKeys,
      Optional<String> adminKey,
      int queueCapacity,
      Duration videoUrlTtl) {}

  /**
   * What the API uses from the rest of the node.
   *
   * @param rate the node's submit rate limit, if any
   * @param keyRate the limiter of a key with its own rate (submits per minute)
   * @param ready whether every dependency is up, for /readyz
   * @param catalog the generators this node serves
   * @param deployments an upstream generator's deployments as {@code GET /v3/models} shows them
   * @param queuedEta the eta of a task still queued for an upstream generator
   * @param roomForNewWork throws {@link dev.tween.health.DependencyUnavailableException} (507)
   *     while the node's disk is too full to take a task
   * @param wakeWorkers called after a submit, so an idle worker on this node starts at once
   */
  public record Parts(
      TaskStore store,
      BlobStore blobs,
      Catalog catalog,
      Function<String, List<Gateway.DeploymentView>> deployments,
      Function<Task, OptionalInt> queuedEta,
      IdempotencyKeys idempotency,
      Optional<RateLimiter> rate,
      IntFunction<RateLimiter> keyRate,
      KeyRing keys,
      Ledger ledger,
      UrlSigner signer,
      Metrics metrics,
      Clock clock,
      BooleanSupplier ready,
      Runnable roomForNewWork,
      Runnable wakeWorkers) {}

  public HttpApi(Settings settings, Parts parts) {
    this.settings = settings;
    this.models =
        Models.of(settings.generators(), settings.submitRoute(), settings.submitAliases());
    this.metrics = parts.metrics();
    this.deployments = parts.deployments();
    this.store = parts.store();
    this.ready = parts.ready();
    var usage = new Usage(parts.ledger());
    this.accounts =
        new AccountRoutes(settings.adminKey(), parts.keys(), parts.ledger(), usage, parts.clock());
    this.views =
        new TaskViews(
            parts.blobs(),
            parts.signer(),
            settings.videoUrlTtl(),
            this::baseUrl,
            usage::ofTask,
            models::taskType,
            parts.queuedEta());
    var limits =
        new SubmitLimits(
            parts.rate(),
            parts.store(),
            settings.queueCapacity(),
            parts.clock(),
            parts.keyRate(),
            parts.roomForNewWork());
    var submissions =
        new Submissions(
            parts.store(),
            parts.blobs(),
            parts.catalog(),
            parts.idempotency(),
            limits,
            parts.wakeWorkers(),
            parts.ledger());
    this.auth = new Authentication(new ApiKeys(settings.apiKeys()), accounts);
    var random = new SecureRandom();
    var parser = new SubmitParser(settings.addresses(), () -> random.nextLong() & 0xFFFF_FFFFL);
    this.submit = SubmitRoute.of(parser, submissions, settings.maxBodyBytes());
    this.tasks = new TaskRoutes(parts.store(), views, parts.ledger());
    this.video = new VideoRoute(parts.blobs(), parts.signer(), parts.store());
  }

  /** A task as task-result shows it (also the payload of its webhook). */
  public Object render(Task task) {
    return views.render(task);
  }

  /**
   * Starts the HTTP server: the whole API, or for a worker-role node only {@code /healthz}, {@code
   * /readyz} and {@code /metrics}, so no API traffic can reach it by mistake.
   */
  public Javalin start(boolean wholeApi) {
    javalin = wholeApi ? create() : createHealthOnly();
    javalin.start();
    return javalin;
  }

  /** The URL clients reach this node at. */
  public String baseUrl() {
    if (!settings.publicUrl().isBlank()) return settings.publicUrl();
    return "http://localhost:" + (javalin == null ? settings.port() : javalin.port());
  }

  private Javalin create() {
    return Javalin.create(
        config -> {
          server(config);
          RouteLatency.install(config.routes, metrics);
          api(config.routes);
          health(config.routes);
          ErrorBodies.install(config.routes, metrics);
        });
  }

  private Javalin createHealthOnly() {
    return Javalin.create(
        config -> {
          server(config);
          RouteLatency.install(config.routes, metrics);
          health(config.routes);
          ErrorBodies.install(config.routes, metrics);
        });
  }

  /** A route as registered, for the OpenAPI consistency test. */
  public record Route(String method, String path) {}

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

  /** The models with, for upstream ones, their deployments' limits, use and state. */
  private List<ModelView> modelViews() {
    return models.models().stream()
        .map(
            m -> {
              var d = deployments.apply(m.generator());
              return new ModelView(
                  m.generator(),
                  m.name(),
                  m.taskType(),
                  m.routes(),
                  d.isEmpty() ? null : d.stream().map(DeploymentBody::of).toList());
            })
        .toList();
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ModelView(
      String generator,
      String name,
      @JsonProperty("task_type") String taskType,
      List<String> routes,
      List<DeploymentBody> deployments) {}

  /** A deployment in {@code GET /v3/models}; {@code requests_per_minute} absent: no limit. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record DeploymentBody(
      String name,
      @JsonProperty("max_concurrent") int maxConcurrent,
      @JsonProperty("requests_per_minute") Integer requestsPerMinute,
      @JsonProperty("in_flight") int inFlight,
      @JsonProperty("creates_last_minute") int createsLastMinute,
      String state,
      @JsonProperty("cooldown_until") String cooldownUntil,
      @JsonProperty("last_error") String lastError) {
    static DeploymentBody of(Gateway.DeploymentView v) {
      return new DeploymentBody(
          v.name(),
          v.maxConcurrent(),
          v.requestsPerMinute() == 0 ? null : v.requestsPerMinute(),
          v.inFlight(),
          v.createsLastMinute(),
          v.state(),
          v.cooldownUntil().map(Object::toString).orElse(null),
          v.lastError().orElse(null));
    }
  }

  private void api(RoutesConfig routes) {
    routes.before("/v3/*", auth::authenticate);
    for (Models.Model m : models.models()) {
      for (String path : m.routes())
        route(routes, "POST", path, ctx -> submit.handle(ctx, m.generator()));
    }
    route(routes, "GET", "/v3/models", ctx -> ctx.json(Map.of("models", modelViews())));
    route(routes, "GET", "/v3/async/task-result", tasks::taskResult);
    route(routes, "POST", "/v3/async/tasks/{task_id}/cancel", tasks::cancel);
    route(routes, "GET", "/v3/async/tasks", new TaskListing(store, views)::handle);
    // Decided before the stream opens, so an unknown or foreign task is a plain JSON 404, not a 200
    // stream.
    routes.before("/v3/async/tasks/{task_id}/events", tasks::requireTask);
    routes.sse("/v3/async/tasks/{task_id}/events", new TaskEvents(store, views)::handle);
    registered.add(new Route("GET", "/v3/async/tasks/{task_id}/events"));
    route(routes, "GET", "/v1/videos/{task}/{file}", video::handle);
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
        "PATCH",
        "/v1/admin/keys/{id}",
        ctx -> {
          accounts.requireAdmin(ctx);
          accounts.update(ctx);
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

  private void route(RoutesConfig routes, String method, String path, Handler handler) {
    switch (method) {
      case "GET" -> routes.get(path, handler);
      case "DELETE" -> routes.delete(path, handler);
      case "PATCH" -> routes.patch(path, handler);
      default -> routes.post(path, handler);
    }
    registered.add(new Route(method, path));
  }

  /** The admin key sees every key's usage; any other key its own. */
  private void usage(Context ctx) {
    if (accounts.isAdmin(ctx)) {
      accounts.usage(ctx, Optional.empty());
      return;
    }
    auth.authenticate(ctx);
    accounts.usage(ctx, Optional.of(Authentication.principal(ctx)));
  }

  private void readiness(Context ctx) {
    boolean ok = ready.getAsBoolean();
    ctx.status(ok ? 200 : 503).json(Map.of("status", ok ? "ready" : "not ready"));
  }
}
