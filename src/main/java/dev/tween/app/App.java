package dev.tween.app;

import dev.tween.api.ApiKeys;
import dev.tween.api.HttpApi;
import dev.tween.api.SubmitLimits;
import dev.tween.api.Submissions;
import dev.tween.queue.IdempotencyKeys;
import dev.tween.queue.RateLimiter;
import dev.tween.api.TaskViews;
import dev.tween.config.ConfigException;
import dev.tween.config.TweenConfig;
import dev.tween.generate.GenerationException;
import dev.tween.generate.Generator;
import dev.tween.queue.Database;
import dev.tween.queue.JdbcTaskStore;
import dev.tween.queue.SharedSecrets;
import dev.tween.queue.TaskStore;
import dev.tween.storage.BlobStore;
import dev.tween.storage.LocalBlobStore;
import dev.tween.storage.UrlSigner;
import dev.tween.worker.BlobInputResolver;
import dev.tween.worker.TaskListener;
import dev.tween.worker.WorkerPool;
import dev.tween.worker.WorkerSettings;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
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

  private App(TweenConfig config, Database db, TaskStore store, WorkerPool workers, Javalin http, List<String> apiKeys,
      boolean generatedKey) {
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

  /** Starts a node; {@code generator} replaces the configured one (tests). */
  public static App start(TweenConfig config, Clock clock, Optional<Generator> generator) throws IOException {
    Database db = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword(), config.dbPoolSize());
    try {
      return assemble(config, clock, db, generator.orElseGet(() -> Generators.create(config, clock)));
    } catch (IOException | RuntimeException e) {
      db.close();
      throw e;
    }
  }

  private static App assemble(TweenConfig config, Clock clock, Database db, Generator generator) throws IOException {
    TaskStore store = new JdbcTaskStore(db, clock);
    BlobStore blobs = openBlobs(config);
    UrlSigner signer = new UrlSigner(new SharedSecrets(db).getOrCreate("video-url-signing", 32), clock);

    WorkerPool workers = null;
    if (config.role().runsWorkers() && config.workers() > 0) {
      var settings = new WorkerSettings(config.workers(), config.lease(), config.heartbeat(), config.poll(),
          config.maxFailures(), config.maxCrashes(), config.retryBase(), config.dataDir().resolve("work"));
      var inputs = new BlobInputResolver(blobs, App::fetchNotAvailable);
      workers = new WorkerPool(store, blobs, generator, inputs, TaskListener.NONE, settings, clock, nodeId());
    }
    WorkerPool w = workers;
    Runnable wake = w == null ? () -> { } : w::wake;

    List<String> keys = config.apiKeys();
    boolean generated = false;
    if (keys.isEmpty()) {
      keys = List.of(Secrets.loadOrCreate(config.dataDir().resolve("api-key"), 24, "tw_"));
      generated = true;
    }
    int[] boundPort = {config.port()};
    var views = new TaskViews(blobs, signer, config.videoUrlTtl(), () -> config.baseUrl(boundPort[0]));
    var rate = config.rateLimitPerMinute() == 0 ? Optional.<RateLimiter>empty()
        : Optional.of(new RateLimiter(db, clock, config.rateLimitPerMinute(), config.rateLimitBurst()));
    var limits = new SubmitLimits(rate, store, config.queueCapacity(), clock);
    var submissions = new Submissions(store, blobs, generator, new IdempotencyKeys(db, clock), limits, wake);
    var httpSettings = new HttpApi.Settings(config.host(), config.port(), config.submitRoute(), config.submitAliases(),
        config.maxBodyBytes());
    Javalin http = new HttpApi(httpSettings, new ApiKeys(keys), submissions, store, views, blobs, signer,
        () -> db.reachable() && blobs.reachable()).create();
    http.start();
    boundPort[0] = http.port();
    if (workers != null) workers.start();
    log.info("event=node_started url={} role={} generator={} db={} storage={}", config.baseUrl(http.port()),
        config.role(), generator.name(), db.dialect().name(), config.storageUrl());
    return new App(config, db, store, workers, http, keys, generated);
  }

  private static BlobStore openBlobs(TweenConfig config) throws IOException {
    String url = config.storageUrl();
    if (url.startsWith("file:")) {
      LocalBlobStore local = new LocalBlobStore(Path.of(URI.create(url)));
      local.sweepOrphans();
      return local;
    }
    throw new ConfigException("setting --storage-url / TWEEN_STORAGE_URL: s3:// storage is not available in this build");
  }

  private static byte[] fetchNotAvailable(URI url) throws GenerationException {
    throw GenerationException.permanent("image URLs are not supported yet: " + url);
  }

  private static String nodeId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "node";
    }
    return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
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
    db.close();
  }
}
