package dev.tween.gateway;

import dev.tween.health.DependencyUnavailableException;
import dev.tween.health.Health;
import dev.tween.metrics.Metrics;
import dev.tween.storage.BlobStore;
import dev.tween.store.Claim;
import dev.tween.store.TaskStore;
import dev.tween.store.UpstreamQueue;
import dev.tween.store.UpstreamQueue.Admission;
import dev.tween.store.UpstreamQueue.Operation;
import dev.tween.worker.InputResolver;
import dev.tween.worker.PosterMaker;
import dev.tween.worker.TaskListener;
import dev.tween.worker.WorkDir;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs this node's share of the upstream tasks (Veo, Omni, ComfyUI). An admission loop takes a
 * queued task only when one of its generator's deployments has room, counted over every node that
 * shares the database ({@link UpstreamQueue}); each task then runs on a virtual thread of its own
 * ({@link UpstreamRun}) that sleeps between polls, so an operation in flight costs a row, a little
 * memory and a poll now and then, never a platform thread. One timer thread renews all of this
 * node's leases in one statement, flushes progress in one batch, and reads cancel requests.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  private static final Duration TICK = Duration.ofSeconds(1);

  /** The collaborators a run needs. */
  public record Parts(
      UpstreamQueue queue,
      TaskStore store,
      BlobStore blobs,
      InputResolver inputs,
      PosterMaker posters,
      TaskListener listener,
      Health health,
      Metrics metrics,
      Clock clock) {}

  /**
   * A deployment as {@code GET /v3/models} shows it.
   *
   * @param state {@code up}, {@code cooling_down} (a 429: no creates until {@code cooldownUntil})
   *     or {@code down} (this node's circuit is open: nothing but a probe now and then)
   */
  public record DeploymentView(
      String name,
      int maxConcurrent,
      int requestsPerMinute,
      int inFlight,
      int createsLastMinute,
      String state,
      Optional<Instant> cooldownUntil,
      Optional<String> lastError) {}

  private final Parts parts;
  private final GatewaySettings settings;
  private final String owner;
  private final DeploymentSet deployments;
  private final String legacyGenerator;
  private final Map<String, UpstreamRun> runs = new ConcurrentHashMap<>();
  private final Map<UpstreamRun, Thread> threads = new ConcurrentHashMap<>();
  private final Map<String, Integer> writtenPercent = new ConcurrentHashMap<>();
  private final Semaphore admissionSignal = new Semaphore(0);
  private final Semaphore creates;
  private final Semaphore polls;
  private final Semaphore deliveries;
  private final ScheduledExecutorService timer;
  private final Map<String, Instant> throttleLogged = new ConcurrentHashMap<>();
  private volatile boolean running;
  private volatile boolean closing;
  private Thread admissions;

  /**
   * @param legacyGenerator the generator that tasks from before per-model routes (no generator
   *     named) run on: this node's first, if it is an upstream one; else empty
   * @param owner this node's lease owner for upstream tasks
   */
  public Gateway(
      Parts parts,
      GatewaySettings settings,
      String owner,
      DeploymentSet deployments,
      Optional<String> legacyGenerator) {
    this.parts = parts;
    this.settings = settings;
    this.owner = owner;
    this.deployments = deployments;
    this.legacyGenerator = legacyGenerator.orElse("");
    this.creates = new Semaphore(settings.creates());
    this.polls = new Semaphore(settings.polls());
    this.deliveries = new Semaphore(settings.deliveries());
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("tween-gateway-timer").factory());
  }

  public void start() throws IOException {
    WorkDir.empty(settings.workDir()); // what a stopped node left belongs to no running attempt
    Map<String, String> generatorOf = new LinkedHashMap<>();
    deployments.all().forEach(d -> generatorOf.put(d.name(), d.generator()));
    parts.queue().register(generatorOf);
    for (Deployment d : deployments.all()) {
      parts
          .metrics()
          .deployment(
              d.name(), () -> deployments.load(d.name()).inFlight(), () -> !d.circuit.isOpen());
    }
    running = true;
    refreshLoads();
    long tick = TICK.toMillis();
    timer.scheduleWithFixedDelay(
        this::renew, 0, settings.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(this::everySecond, tick, tick, TimeUnit.MILLISECONDS);
    admissions = Thread.ofPlatform().name("tween-gateway-admissions").start(this::admitLoop);
    log.info(
        "event=gateway_started owner={} generators={} deployments={}",
        owner,
        String.join(",", deployments.models().stream().map(UpstreamModel::name).toList()),
        String.join(",", deployments.all().stream().map(Deployment::name).toList()));
  }

  /** A task was queued, or a slot freed: look for work now instead of at the next poll. */
  public void wake() {
    if (admissionSignal.availablePermits() == 0) admissionSignal.release();
  }

  private void admitLoop() {
    while (running) {
      try {
        if (!parts.health().allUp()) {
          // a task taken now could only wait (database, bucket or disk): leave it queued
          parts.health().awaitUp(settings.idlePoll());
          continue;
        }
        boolean admitted = false;
        for (UpstreamModel m : deployments.models()) {
          if (!running || creates.availablePermits() == 0) break;
          admitted |= admitOne(m);
        }
        if (!admitted)
          admissionSignal.tryAcquire(settings.idlePoll().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      } catch (DependencyUnavailableException e) {
        awaitDatabase();
      } catch (RuntimeException e) {
        log.error("event=gateway_admission_error error=\"{}\"", e.toString(), e);
        try {
          admissionSignal.tryAcquire(settings.idlePoll().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private boolean admitOne(UpstreamModel m) {
    List<String> generators =
        m.name().equals(legacyGenerator) ? List.of(m.name(), "") : List.of(m.name());
    List<String> names = deployments.of(m).stream().map(Deployment::name).toList();
    Admission a = parts.queue().admit(owner, settings.lease(), generators, names, openings(m));
    switch (a) {
      case Admission.Admitted ad -> launch(ad.claim(), m, List.of(ad.first()), true);
      case Admission.Resumed r -> launch(r.claim(), m, r.operations(), false);
      case Admission.NoRoom n -> {
        return false;
      }
      case Admission.Idle i -> {
        return false;
      }
    }
    return true;
  }

  private void launch(Claim claim, UpstreamModel m, List<Operation> ops, boolean fresh) {
    UpstreamRun run;
    try {
      run = new UpstreamRun(claim, m, ops, fresh, this);
    } catch (IllegalStateException e) {
      // an operation on a deployment this node does not know: only its own deployment can poll it
      var outcome =
          parts
              .store()
              .fail(claim, e.getMessage(), false, settings.maxFailures(), settings.retryBase());
      log.warn(
          "event=task_attempt_failed task={} outcome={} reason=\"{}\"",
          claim.taskId(),
          outcome,
          e.getMessage());
      parts.store().findById(claim.taskId()).ifPresent(parts.listener()::finished);
      return;
    }
    runs.put(claim.taskId(), run);
    threads.put(run, Thread.ofVirtual().name("tween-upstream-" + claim.taskId()).start(run));
  }

  List<UpstreamQueue.Opening> openings(UpstreamModel m) {
    return deployments.openings(m);
  }

  Deployment deployment(String name) {
    return deployments.named(name);
  }

  /** A 429: every node stops creating on {@code d} for {@code retryAfter}. */
  void throttled(Deployment d, Duration retryAfter) {
    Duration wait =
        retryAfter.isZero() || retryAfter.isNegative() ? d.cooldownAfterThrottle() : retryAfter;
    Instant until = parts.clock().instant().plus(wait);
    parts.metrics().deploymentThrottled(d.name());
    try {
      parts.queue().coolDown(d.name(), until);
    } catch (DependencyUnavailableException e) {
      // the create is refused all the same; the next 429 tries again
    }
    Instant logged = throttleLogged.get(d.name());
    if (logged == null || parts.clock().instant().isAfter(logged)) {
      throttleLogged.put(d.name(), until);
      log.warn("event=deployment_cooling_down deployment={} for_ms={}", d.name(), wait.toMillis());
    }
  }

  /** An operation finished upstream: its slot is free for a waiting operation or task. */
  void slotFreed() {
    wake();
    for (UpstreamRun r : runs.values()) if (r.waitingForSlot()) r.nudge();
  }

  void ended(UpstreamRun run) {
    runs.remove(run.taskId(), run);
    threads.remove(run);
    writtenPercent.remove(run.taskId());
    wake();
  }

  /** Renews every lease this node holds; runs whose task was taken from it stop. */
  private void renew() {
    try {
      long asked = System.nanoTime();
      var renewal = parts.queue().renew(owner, settings.lease());
      for (UpstreamRun r : runs.values()) {
        if (!renewal.held().contains(r.taskId())) {
          // a run launched while the statement ran may simply be newer than its answer
          if (r.launchedNanos() - asked < 0) r.stop(UpstreamRun.Stop.LEASE_LOST);
        } else if (renewal.cancelRequested().contains(r.taskId())) {
          r.stop(UpstreamRun.Stop.CANCEL);
        }
      }
    } catch (DependencyUnavailableException e) {
      // the circuit logged it; the next renewal tries again
    } catch (RuntimeException e) {
      log.warn("event=lease_renewal_failed error=\"{}\"", e.toString());
    }
  }

  private void everySecond() {
    try {
      if (!runs.isEmpty()) {
        for (String id : parts.queue().cancelRequested(owner)) {
          UpstreamRun r = runs.get(id);
          if (r != null) r.stop(UpstreamRun.Stop.CANCEL);
        }
        flushProgress();
      }
      refreshLoads();
      parts.queue().sweep();
    } catch (DependencyUnavailableException e) {
      // the circuit logged it
    } catch (RuntimeException e) {
      log.warn("event=gateway_tick_failed error=\"{}\"", e.toString());
    }
  }

  private void flushProgress() {
    List<UpstreamQueue.Progress> batch = new ArrayList<>();
    for (UpstreamRun r : runs.values()) {
      int percent = (int) Math.min(99, Math.floor(r.fraction() * 100));
      Integer last = writtenPercent.get(r.taskId());
      if (last != null && last == percent) continue;
      batch.add(new UpstreamQueue.Progress(r.claim(), percent, r.etaSeconds()));
    }
    if (batch.isEmpty()) return;
    parts.queue().progress(batch);
    for (var p : batch) {
      writtenPercent.put(p.claim().taskId(), p.percent());
    }
  }

  private void refreshLoads() {
    deployments.refresh();
  }

  /** Upstream tasks this node is running now. */
  public int running() {
    return runs.size();
  }

  private void awaitDatabase() {
    try {
      var db = parts.health().circuit("database");
      if (db.isPresent()) db.get().awaitUp(settings.idlePoll());
      else Thread.sleep(settings.idlePoll().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // What runs use.

  UpstreamQueue queue() {
    return parts.queue();
  }

  TaskStore store() {
    return parts.store();
  }

  BlobStore blobs() {
    return parts.blobs();
  }

  InputResolver inputs() {
    return parts.inputs();
  }

  PosterMaker posters() {
    return parts.posters();
  }

  TaskListener listener() {
    return parts.listener();
  }

  Health health() {
    return parts.health();
  }

  Clock clock() {
    return parts.clock();
  }

  GatewaySettings settings() {
    return settings;
  }

  Semaphore creates() {
    return creates;
  }

  Semaphore polls() {
    return polls;
  }

  Semaphore deliveries() {
    return deliveries;
  }

  boolean closing() {
    return closing;
  }

  /**
   * Stops admitting and gives every running task back to the queue (its operations stay with their
   * deployments, and whichever node takes the task next polls them): stopping loses nothing and
   * pays for nothing twice. Waits a few seconds for creates in flight to be answered.
   */
  @Override
  public void close() {
    running = false;
    if (admissions != null) {
      admissions.interrupt();
      try {
        admissions.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (UpstreamRun r : runs.values()) r.stop(UpstreamRun.Stop.SHUTDOWN);
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    for (Thread t : List.copyOf(threads.values())) {
      try {
        long left = end - System.nanoTime();
        if (left > 0) t.join(Duration.ofNanos(left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    closing = true;
    timer.shutdownNow();
  }
}
