package dev.tween.app;

import dev.tween.api.HttpApi;
import dev.tween.config.TweenConfig;
import dev.tween.disk.DiskSpace;
import dev.tween.engine.Posters;
import dev.tween.fetch.AddressPolicy;
import dev.tween.fetch.FetchException;
import dev.tween.fetch.SafeFetcher;
import dev.tween.fetch.SafePoster;
import dev.tween.gateway.Deployment;
import dev.tween.gateway.Gateway;
import dev.tween.gateway.GatewaySettings;
import dev.tween.gateway.UpstreamModel;
import dev.tween.generate.Catalog;
import dev.tween.generate.GenerationException;
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
import dev.tween.store.WakeupChannel;
import dev.tween.store.WebhookQueue;
import dev.tween.task.Task;
import dev.tween.webhook.WebhookDispatcher;
import dev.tween.worker.InputResolver;
import dev.tween.worker.LeaseReaper;
import dev.tween.worker.TaskListener;
import dev.tween.worker.WorkerPool;
import dev.tween.worker.WorkerSettings;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one wiring class: builds a node's object graph from its configuration and runs it. */
public final class App implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(App.class);

  private final TweenConfig config;
  private final Database db;
  private final TaskStore store;
  private final WorkerPool workers;
  private final Javalin http;
  private final List<String> apiKeys;
  private final boolean generatedKey;
  private final List<AutoCloseable> closeables;
  private final List<HttpApi.Route> routes;

  private App(
      TweenConfig config,
      Database db,
      TaskStore store,
      WorkerPool workers,
      Javalin http,
      List<HttpApi.Route> routes,
      List<String> apiKeys,
      boolean generatedKey,
      List<AutoCloseable> closeables) {
    this.routes = routes;
    this.closeables = closeables;
    this.config = config;
    this.db = db;
    this.store = store;
    this.workers = workers;
    this.http = http;
    this.apiKeys = apiKeys;
    this.generatedKey = generatedKey;
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
    List<Deployment> deployments = List.of();
    try {
      Metrics metrics = new Metrics(TaskStore.of(db, clock)::countByStatus);
      deployments = Generators.deployments(config, clock, metrics);
      return assemble(
          config,
          clock,
          db,
          config.generators().contains("local")
              ? Optional.of(local.orElseGet(() -> Generators.local(metrics)))
              : Optional.empty(),
          deployments,
          metrics);
    } catch (IOException | RuntimeException e) {
      for (Deployment d : deployments) closeQuietly(d);
      db.close();
      throw e;
    }
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

  private static App assemble(
      TweenConfig config,
      Clock clock,
      Database db,
      Optional<Generator> local,
      List<Deployment> deployments,
      Metrics metrics)
      throws IOException {
    List<UpstreamModel> upstream =
        config.generators().stream()
            .filter(TweenConfig::upstream)
            .map(g -> Generators.model(g, config))
            .toList();
    var served = new java.util.LinkedHashMap<String, Model>();
    for (String g : config.generators())
      served.put(
          g,
          TweenConfig.upstream(g)
              ? upstream.stream().filter(m -> m.name().equals(g)).findFirst().orElseThrow()
              : local.orElseThrow());
    Catalog catalog = new Catalog(served);
    TaskStore store = TaskStore.of(db, clock);
    DiskSpace disk = StorageBounds.disk(config);
    BlobStore blobs = StorageBounds.guard(openBlobs(config), disk, db, config);
    var circuits = new ArrayList<Circuit>(List.of(db.circuit(), disk.circuit()));
    if (blobs instanceof GuardedBlobStore guarded) circuits.add(guarded.circuit());
    Health health = new Health(circuits, disk);
    health.circuits().forEach(c -> metrics.dependency(c.name(), c::isUp));
    var secrets = new SharedSecrets(db);
    UrlSigner signer = new UrlSigner(secrets.getOrCreate("video-url-signing", 32), clock);
    int[] boundPort = {config.port()};
    var ledger =
        new Ledger(
            db,
            clock,
            config.prices(),
            (key, model, currency, seconds, cost) ->
                metrics.charged(key, model, currency, seconds, Money.of(cost).doubleValue()));
    List<String> keys = config.apiKeys();
    boolean generated = false;
    if (keys.isEmpty()) {
      keys = List.of(Secrets.loadOrCreate(config.dataDir().resolve("api-key"), 24, "tw_"));
      generated = true;
    }
    var rate =
        config.rateLimitPerMinute() == 0
            ? Optional.<RateLimiter>empty()
            : Optional.of(
                new RateLimiter(db, clock, config.rateLimitPerMinute(), config.rateLimitBurst()));
    var idempotency = new IdempotencyKeys(db, clock);
    // The workers and the gateway are built below; a submit before they exist has nobody to wake.
    WorkerPool[] pool = {null};
    Gateway[] gateway = {null};
    var api =
        new HttpApi(
            new HttpApi.Settings(
                config.host(),
                config.port(),
                config.submitRoute(),
                config.submitAliases(),
                config.maxBodyBytes(),
                new AddressPolicy(config.fetchAllowPrivate()),
                config.generators(),
                keys,
                Optional.of(config.adminKey()),
                config.queueCapacity(),
                config.videoUrlTtl()),
            new HttpApi.Parts(
                store,
                blobs,
                catalog,
                generator -> gateway[0] == null ? List.of() : gateway[0].views(generator),
                task -> gateway[0] == null ? OptionalInt.empty() : gateway[0].queuedEta(task),
                idempotency,
                rate,
                perMinute -> new RateLimiter(db, clock, perMinute, perMinute),
                new KeyRing(db, clock),
                ledger,
                signer,
                metrics,
                clock,
                health::allUp,
                disk::checkRoomForNewWork,
                () -> wakeAll(pool[0], gateway[0]),
                () -> config.baseUrl(boundPort[0])));
    List<AutoCloseable> closeables = new ArrayList<>();
    closeables.add(disk);
    closeables.add(StorageBounds.retention(config, db, blobs, disk, clock, nodeId(), metrics));
    WorkerPool workers = null;
    LeaseReaper reaper = null;
    WebhookDispatcher webhooks = null;
    if (config.role().runsWorkers()) {
      webhooks =
          new WebhookDispatcher(
              new WebhookQueue(db, clock),
              SafePoster.forWebhooks(config.fetchAllowPrivate())::post,
              webhookSecret(config, secrets),
              api::render,
              clock,
              config.poll(),
              WebhookDispatcher.defaultSchedule());
      closeables.add(webhooks);
      var fetcher = SafeFetcher.forImages(config.fetchAllowPrivate());
      WorkerPool.UrlFetcher urls = url -> fetch(fetcher, url);
      WebhookDispatcher hooks = webhooks;
      TaskListener listener =
          new TaskListener() {
            @Override
            public void finished(Task task) {
              metrics.taskFinished(task);
              settle(ledger, task.id());
              if (task.spec().webhookUrl().isPresent()) hooks.wake();
            }
          };
      String node = nodeId();
      String first = config.generators().getFirst();
      if (local.isPresent() && config.workers() > 0) {
        var settings =
            new WorkerSettings(
                config.workers(),
                config.lease(),
                config.heartbeat(),
                config.poll(),
                config.maxFailures(),
                config.maxCrashes(),
                config.retryBase(),
                config.dataDir().resolve("work"),
                config.workerNice());
        workers =
            new WorkerPool(
                store,
                blobs,
                local.get(),
                first.equals("local") ? List.of("local", "") : List.of("local"),
                urls,
                Posters::write,
                listener,
                settings,
                clock,
                node,
                health);
      }
      if (!upstream.isEmpty()) {
        gateway[0] =
            new Gateway(
                new Gateway.Parts(
                    UpstreamQueue.of(db, clock),
                    store,
                    blobs,
                    InputResolver.of(blobs, urls),
                    Posters::write,
                    listener,
                    health,
                    metrics,
                    clock),
                GatewaySettings.of(
                    config.lease(),
                    config.heartbeat(),
                    config.poll(),
                    config.upstreamTimeout(),
                    config.maxFailures(),
                    config.retryBase(),
                    config.dataDir().resolve("upstream")),
                node + "-gateway",
                upstream,
                deployments,
                TweenConfig.upstream(first) ? Optional.of(first) : Optional.empty());
      }
      WorkerPool localWorkers = workers;
      reaper =
          new LeaseReaper(
              store,
              health,
              config.lease(),
              config.maxCrashes(),
              () -> wakeAll(localWorkers, gateway[0]));
    }
    if (gateway[0] == null) closeables.addAll(deployments);
    pool[0] = workers;
    Javalin http = config.role().servesApi() ? api.create() : api.createHealthOnly();
    http.start();
    boundPort[0] = http.port();
    closeables.add(new Housekeeping(idempotency, () -> ledger.settlePending(Optional.empty())));
    if (workers != null) workers.start();
    if (gateway[0] != null) {
      gateway[0].start();
      closeables.add(0, gateway[0]);
    }
    if (reaper != null) {
      reaper.start(config.poll());
      closeables.add(reaper);
    }
    if (workers != null || gateway[0] != null) {
      WorkerPool localWorkers = workers;
      Gateway upstreamGateway = gateway[0];
      WakeupChannel wakeups = db.wakeups(); // other nodes' submits; this node's own wake directly
      wakeups.start(() -> wakeAll(localWorkers, upstreamGateway));
      closeables.add(wakeups);
    }
    if (webhooks != null) webhooks.start();
    log.info(
        "event=node_started url={} role={} generator={} db={} storage={}",
        config.baseUrl(http.port()),
        config.role(),
        String.join(",", config.generators()),
        db.dialectName(),
        config.storageUrl());
    if (blobs instanceof AutoCloseable c)
      closeables.add(c); // last: the others may still read blobs
    return new App(config, db, store, workers, http, api.routes(), keys, generated, closeables);
  }

  private static void wakeAll(WorkerPool workers, Gateway gateway) {
    if (workers != null) workers.wake();
    if (gateway != null) gateway.wake();
  }

  /**
   * Charges or releases the ended task's reservation; a failure here must not disturb the worker.
   */
  private static void settle(Ledger ledger, String taskId) {
    try {
      ledger.settle(taskId);
    } catch (RuntimeException e) {
      log.warn(
          "event=settle_failed task={} error=\"{}\" hint=\"settled on the next submit, usage or key listing\"",
          taskId,
          e.toString());
    }
  }

  /**
   * The configured Standard Webhooks secret, or one generated once and shared through the database.
   */
  private static String webhookSecret(TweenConfig config, SharedSecrets secrets) {
    if (!config.webhookSecret().isEmpty()) return config.webhookSecret();
    return "whsec_"
        + java.util.Base64.getEncoder().encodeToString(secrets.getOrCreate("webhook-signing", 24));
  }

  private static byte[] fetch(SafeFetcher fetcher, URI url) throws GenerationException {
    try {
      return fetcher.fetch(url);
    } catch (FetchException e) {
      String reason = "image URL " + url.getHost() + ": " + e.getMessage();
      throw e.permanent()
          ? GenerationException.permanent(reason)
          : GenerationException.transientFailure(reason, e);
    }
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

  private static String nodeId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "node";
    }
    return host
        + "-"
        + ProcessHandle.current().pid()
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  public List<HttpApi.Route> routes() {
    return routes;
  }

  public TaskStore tasks() {
    return store;
  }

  public int port() {
    return http.port();
  }

  public String baseUrl() {
    return config.baseUrl(http.port());
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
    if (workers != null) workers.close();
    for (AutoCloseable c : closeables) closeQuietly(c);
    db.close();
  }
}
