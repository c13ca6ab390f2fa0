package dev.tween.app;

import dev.tween.api.HttpApi;
import dev.tween.config.TweenConfig;
import dev.tween.disk.DiskSpace;
import dev.tween.engine.Posters;
import dev.tween.fetch.AddressPolicy;
import dev.tween.fetch.SafeFetcher;
import dev.tween.fetch.SafePoster;
import dev.tween.gateway.DeploymentSet;
import dev.tween.gateway.Gateway;
import dev.tween.gateway.GatewaySettings;
import dev.tween.gateway.UpstreamModel;
import dev.tween.generate.Catalog;
import dev.tween.generate.Generator;
import dev.tween.generate.Model;
import dev.tween.health.Circuit;
import dev.tween.health.Health;
import dev.tween.keys.KeyRing;
import dev.tween.keys.Ledger;
import dev.tween.keys.Money;
import dev.tween.keys.RateLimiter;
import dev.tween.metrics.Metrics;
import dev.tween.storage.BlobStore;
import dev.tween.storage.GuardedBlobStore;
import dev.tween.storage.LocalBlobStore;
import dev.tween.storage.UrlSigner;
import dev.tween.storage.s3.S3Buckets;
import dev.tween.store.Database;
import dev.tween.store.IdempotencyKeys;
import dev.tween.store.SharedSecrets;
import dev.tween.store.TaskStore;
import dev.tween.store.UpstreamQueue;
import dev.tween.store.WebhookQueue;
import dev.tween.webhook.WebhookDispatcher;
import dev.tween.webhook.WebhookSecret;
import dev.tween.worker.InputResolver;
import dev.tween.worker.LeaseReaper;
import dev.tween.worker.NodeId;
import dev.tween.worker.TaskListener;
import dev.tween.worker.Wakeups;
import dev.tween.worker.WorkerPool;
import dev.tween.worker.WorkerSettings;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one wiring class: builds a node's object graph from its configuration, in the order each part
 * needs the others, starts it, and stops it in the reverse order.
 */
public final class App implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(App.class);

  private final Database db;
  private final TaskStore store;
  private final HttpApi api;
  private final Javalin http;
  private final List<String> apiKeys;
  private final boolean generatedKey;

  /** Closed in this order after the HTTP server, the database last. */
  private final List<AutoCloseable> closeables;

  private App(
      Database db,
      TaskStore store,
      HttpApi api,
      Javalin http,
      Keys keys,
      List<AutoCloseable> closeables) {
    this.db = db;
    this.store = store;
    this.api = api;
    this.http = http;
    this.apiKeys = keys.keys();
    this.generatedKey = keys.generated();
    this.closeables = closeables;
  }

  /** Starts a node with the configured generator. */
  public static App start(TweenConfig config) throws IOException {
    return start(config, Clock.systemUTC(), Optional.empty());
  }

  /** Starts a node; {@code local} replaces the local engine (tests). */
  public static App start(TweenConfig config, Clock clock, Optional<Generator> local)
      throws IOException {
    Database db =
        Database.open(
            config.dbUrl(),
            config.dbUser(),
            config.dbPassword(),
            config.dbPoolSize(),
            config.dbSocketTimeout());
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      return assemble(config, clock, db, local, opened);
    } catch (IOException | RuntimeException e) {
      for (AutoCloseable c : opened.reversed()) closeQuietly(c);
      db.close();
      throw e;
    }
  }

  /** The node's API keys: the configured ones, or one generated once and kept in the data dir. */
  private record Keys(List<String> keys, boolean generated) {
    static Keys of(TweenConfig config) throws IOException {
      if (!config.apiKeys().isEmpty()) return new Keys(config.apiKeys(), false);
      return new Keys(
          List.of(Secrets.loadOrCreate(config.dataDir().resolve("api-key"), 24, "tw_")), true);
    }
  }

  /** What every other part stands on: the task store, storage, their health, metrics. */
  private record Foundation(
      Metrics metrics, TaskStore store, DiskSpace disk, BlobStore blobs, Health health) {}

  private static Foundation foundation(TweenConfig config, Clock clock, Database db)
      throws IOException {
    TaskStore store = TaskStore.of(db, clock);
    Metrics metrics = new Metrics(store::countByStatus);
    DiskSpace disk = StorageBounds.disk(config);
    BlobStore blobs = StorageBounds.guard(openBlobs(config), disk, db, config);
    var circuits = new ArrayList<Circuit>(List.of(db.circuit(), disk.circuit()));
    if (blobs instanceof GuardedBlobStore guarded) circuits.add(guarded.circuit());
    Health health = new Health(circuits, disk);
    health.circuits().forEach(c -> metrics.dependency(c.name(), c::isUp));
    return new Foundation(metrics, store, disk, blobs, health);
  }

  private static App assemble(
      TweenConfig config,
      Clock clock,
      Database db,
      Optional<Generator> injected,
      List<AutoCloseable> opened)
      throws IOException {
    Foundation f = foundation(config, clock, db);
    opened.add(f.disk());
    if (f.blobs() instanceof AutoCloseable c) opened.add(c);

    Optional<Generator> local =
        config.generators().contains("local")
            ? Optional.of(injected.orElseGet(() -> Generators.local(f.metrics())))
            : Optional.empty();
    var catalog = new LinkedHashMap<String, Model>();
    List<UpstreamModel> models = new ArrayList<>();
    for (String g : config.generators()) {
      if (!TweenConfig.upstream(g)) catalog.put(g, local.orElseThrow());
      else {
        UpstreamModel m = Generators.model(g, config);
        models.add(m);
        catalog.put(g, m);
      }
    }
    var queue = UpstreamQueue.of(db, clock);
    var upstream =
        new DeploymentSet(models, Generators.deployments(config, clock, f.metrics()), queue, clock);
    opened.add(upstream);

    var secrets = new SharedSecrets(db);
    var ledger =
        new Ledger(
            db,
            clock,
            config.prices(),
            (key, model, currency, seconds, cost) ->
                f.metrics().charged(key, model, currency, seconds, Money.of(cost).doubleValue()));
    var idempotency = new IdempotencyKeys(db, clock);
    Keys keys = Keys.of(config);
    // Submits signal this; the local workers and the gateway, built after the API, listen to it.
    var wakeups = new Wakeups();
    var api =
        new HttpApi(
            new HttpApi.Settings(
                config.host(),
                config.port(),
                config.publicUrl(),
                config.submitRoute(),
                config.submitAliases(),
                config.maxBodyBytes(),
                new AddressPolicy(config.fetchAllowPrivate()),
                config.generators(),
                keys.keys(),
                Optional.of(config.adminKey()),
                config.queueCapacity(),
                config.videoUrlTtl()),
            new HttpApi.Parts(
                f.store(),
                f.blobs(),
                new Catalog(catalog),
                upstream::views,
                upstream::queuedEta,
                idempotency,
                config.rateLimitPerMinute() == 0
                    ? Optional.empty()
                    : Optional.of(
                        new RateLimiter(
                            db, clock, config.rateLimitPerMinute(), config.rateLimitBurst())),
                perMinute -> new RateLimiter(db, clock, perMinute, perMinute),
                new KeyRing(db, clock),
                ledger,
                new UrlSigner(secrets.getOrCreate("video-url-signing", 32), clock),
                f.metrics(),
                clock,
                f.health()::allUp,
                f.disk()::checkRoomForNewWork,
                wakeups::wake));

    String node = NodeId.create();
    List<Startable> starts = new ArrayList<>();
    if (config.role().runsWorkers()) {
      var webhooks =
          new WebhookDispatcher(
              new WebhookQueue(db, clock),
              SafePoster.forWebhooks(config.fetchAllowPrivate())::post,
              WebhookSecret.resolve(config.webhookSecret(), secrets),
              api::render,
              clock,
              config.poll(),
              WebhookDispatcher.defaultSchedule());
      opened.add(webhooks);
      starts.add(webhooks::start);
      TaskListener listener =
          task -> {
            f.metrics().taskFinished(task);
            ledger.settleEnded(task.id());
            webhooks.taskEnded(task);
          };
      var inputs = InputResolver.of(f.blobs(), SafeFetcher.forImages(config.fetchAllowPrivate()));
      String first = config.generators().getFirst();
      if (local.isPresent() && config.workers() > 0) {
        var workers =
            new WorkerPool(
                f.store(),
                f.blobs(),
                local.get(),
                first.equals("local") ? List.of("local", "") : List.of("local"),
                inputs,
                Posters::write,
                listener,
                workerSettings(config),
                clock,
                node,
                f.health());
        wakeups.listen(workers::wake);
        opened.add(workers);
        starts.add(workers::start);
      }
      if (!upstream.isEmpty()) {
        var gateway =
            new Gateway(
                new Gateway.Parts(
                    queue,
                    f.store(),
                    f.blobs(),
                    inputs,
                    Posters::write,
                    listener,
                    f.health(),
                    f.metrics(),
                    clock),
                gatewaySettings(config),
                node + "-gateway",
                upstream,
                TweenConfig.upstream(first) ? Optional.of(first) : Optional.empty());
        wakeups.listen(gateway::wake);
        opened.add(gateway); // closed before the deployments: it gives its tasks back first
        starts.add(gateway::start);
      }
      var reaper =
          new LeaseReaper(
              f.store(), f.health(), config.lease(), config.maxCrashes(), wakeups::wake);
      opened.add(reaper);
      starts.add(() -> reaper.start(config.poll()));
      var channel = db.wakeups(); // other nodes' submits; this node's own wake directly
      opened.add(channel);
      starts.add(() -> channel.start(wakeups::wake));
    }
    opened.add(new Housekeeping(idempotency, () -> ledger.settlePending(Optional.empty())));
    opened.add(StorageBounds.retention(config, db, f.blobs(), f.disk(), clock, node, f.metrics()));

    Javalin http = api.start(config.role().servesApi());
    for (Startable s : starts) s.start();
    log.info(
        "event=node_started url={} role={} generator={} db={} storage={}",
        api.baseUrl(),
        config.role(),
        String.join(",", config.generators()),
        db.dialectName(),
        config.storageUrl());
    // stopped in reverse: what was built last depends on what was built first
    return new App(db, f.store(), api, http, keys, new ArrayList<>(opened.reversed()));
  }

  private static WorkerSettings workerSettings(TweenConfig config) {
    return new WorkerSettings(
        config.workers(),
        config.lease(),
        config.heartbeat(),
        config.poll(),
        config.maxFailures(),
        config.maxCrashes(),
        config.retryBase(),
        config.dataDir().resolve("work"),
        config.workerNice());
  }

  private static GatewaySettings gatewaySettings(TweenConfig config) {
    return GatewaySettings.of(
        config.lease(),
        config.heartbeat(),
        config.poll(),
        config.upstreamTimeout(),
        config.maxFailures(),
        config.retryBase(),
        config.dataDir().resolve("upstream"));
  }

  /** A part that starts once the HTTP server runs (some prepare a work directory). */
  @FunctionalInterface
  private interface Startable {
    void start() throws IOException;
  }

  private static BlobStore openBlobs(TweenConfig config) throws IOException {
    String url = config.storageUrl();
    if (url.startsWith("file:")) {
      LocalBlobStore local = new LocalBlobStore(Path.of(URI.create(url)));
      local.sweepOrphans();
      return local;
    }
    var s3 = config.s3();
    return S3Buckets.open(url, s3.endpoint(), s3.region(), s3.pathStyle(), s3.presign());
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      log.warn(
          "event=close_failed component={} error=\"{}\"",
          c.getClass().getSimpleName(),
          e.toString());
    }
  }

  public List<HttpApi.Route> routes() {
    return api.routes();
  }

  public TaskStore tasks() {
    return store;
  }

  public int port() {
    return http.port();
  }

  public String baseUrl() {
    return api.baseUrl();
  }

  public List<String> apiKeys() {
    return apiKeys;
  }

  public boolean generatedKey() {
    return generatedKey;
  }

  @Override
  public void close() {
    http.stop();
    for (AutoCloseable c : closeables) closeQuietly(c);
    db.close();
  }
}
