package dev.tween.worker;

import dev.tween.generate.GenerationException;
import dev.tween.generate.GenerationJob;
import dev.tween.generate.GenerationRequest;
import dev.tween.generate.GenerationResult;
import dev.tween.generate.Generator;
import dev.tween.generate.InputImage;
import dev.tween.health.Circuit;
import dev.tween.health.DependencyUnavailableException;
import dev.tween.health.Health;
import dev.tween.storage.BlobKeys;
import dev.tween.storage.BlobStore;
import dev.tween.store.Claim;
import dev.tween.store.TaskStore;
import dev.tween.store.TaskStore.HeartbeatResult;
import dev.tween.task.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of one task: resolve inputs, generate, store every sample, then SUCCEED. A step that
 * cannot reach the database or the bucket waits for it and is tried again: an outage never counts
 * as a failed attempt.
 */
final class TaskRun implements GenerationJob {
  /**
   * Why an attempt stops before it is done. Set by the heartbeat or a lost write; {@code SHUTDOWN}
   * is this thread's interrupt. A lost lease wins over a client cancel: the task is not ours to
   * end.
   */
  private enum Stop {
    CLIENT_CANCEL,
    LEASE_LOST,
    SHUTDOWN
  }

  private static final Logger log = LoggerFactory.getLogger(TaskRun.class);

  /** Progress share of fetching inputs and of storing results; generation gets the rest. */
  private static final double INPUT_SHARE = 0.03;

  private static final double STORE_SHARE = 0.03;
  private static final Duration PROGRESS_FLUSH = Duration.ofSeconds(1);

  private final Claim claim;
  private final TaskStore store;
  private final BlobStore blobs;
  private final Generator generator;
  private final InputResolver inputs;
  private final PosterMaker posters;
  private final TaskListener listener;
  private final WorkerSettings settings;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Health health;
  private final Path dir;
  private final Instant started;
  private final AtomicReference<Double> progress = new AtomicReference<>(0.0);
  private volatile double generatorFraction;
  private final AtomicReference<Stop> stop = new AtomicReference<>();
  private volatile int lastWrittenPercent = -1;
  private volatile long lastWriteMs;

  /** Set once the attempt writes its end: a heartbeat that loses to that write is no lost lease. */
  private volatile boolean ending;

  private GenerationRequest request;
  private final Phases phases = new Phases();
  private volatile Thread worker = Thread.currentThread();

  TaskRun(
      Claim claim,
      TaskStore store,
      BlobStore blobs,
      Generator generator,
      InputResolver inputs,
      PosterMaker posters,
      TaskListener listener,
      WorkerSettings settings,
      Clock clock,
      ScheduledExecutorService scheduler,
      Health health) {
    this.health = health;
    this.posters = posters;
    this.claim = claim;
    this.store = store;
    this.blobs = blobs;
    this.generator = generator;
    this.inputs = inputs;
    this.listener = listener;
    this.settings = settings;
    this.clock = clock;
    this.scheduler = scheduler;
    this.dir = settings.workDir().resolve(claim.taskId() + "-" + claim.attempt());
    this.started = clock.instant();
  }

  void run() {
    worker = Thread.currentThread();
    log.info(
        "event=task_started task={} attempt={} generator={}",
        claim.taskId(),
        claim.attempt(),
        generator.name());
    ScheduledFuture<?> beat =
        scheduler.scheduleWithFixedDelay(
            this::beat,
            PROGRESS_FLUSH.toMillis(),
            PROGRESS_FLUSH.toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      AttemptOutcome outcome = attempt();
      ending = true;
      apply(outcome);
    } finally {
      beat.cancel(false);
      WorkDir.delete(dir);
    }
  }

  /** Runs the attempt up to, not including, the write that ends it. */
  private AttemptOutcome attempt() {
    try {
      Files.createDirectories(dir);
      TaskSpec spec = claim.task().spec();
      InputImage first = untilAvailable(() -> inputs.resolve("image", spec.firstFrame()));
      InputImage last = untilAvailable(() -> inputs.resolve("last_frame_image", spec.lastFrame()));
      request = toRequest(spec, first, last);
      phases.inputsDone();
      setProgress(INPUT_SHARE);
      GenerationResult result = generator.generate(this);
      phases.generateDone();
      Stop stopped = stop.get();
      if (stopped != null) return outcomeOf(stopped);
      boolean poster =
          untilAvailable(
              () -> {
                storeSamples(result.samples());
                phases.storeDone();
                return storePoster();
              });
      phases.posterDone();
      return new AttemptOutcome.Succeeded(result.samples(), note(result), poster);
    } catch (GenerationException e) {
      if (e.retryable()) { // e.g. the engine could not write its video: the data dir's disk is full
        var outage = health.outageBehind(e);
        if (outage.isPresent()) return giveBackAfter(outage.get());
      }
      return outcomeOf(e);
    } catch (DependencyUnavailableException e) {
      return giveBackAfter(e);
    } catch (IOException e) {
      var outage = health.outageBehind(e);
      if (outage.isPresent()) return giveBackAfter(outage.get());
      return new AttemptOutcome.Failed("storing the result failed: " + e.getMessage(), true, e);
    } catch (RuntimeException e) {
      return new AttemptOutcome.Failed("internal error: " + e, true, e);
    }
  }

  /** The generator's note, and a note for each request field it does not use. */
  private String note(GenerationResult result) {
    var notes = new java.util.ArrayList<String>();
    if (!result.note().isEmpty()) notes.add(result.note());
    notes.addAll(generator.capabilities().ignored(request.options()));
    return String.join("; ", notes);
  }

  /**
   * An outage met inside the generator (e.g. saving its resume state, writing its video): give the
   * task back once the dependency is back, uncounted.
   */
  private AttemptOutcome giveBackAfter(DependencyUnavailableException e) {
    if (!awaitAvailable(e)) return new AttemptOutcome.Abandoned("stopping_during_outage");
    if (stop.get() == Stop.LEASE_LOST) return outcomeOf(Stop.LEASE_LOST);
    return new AttemptOutcome.Released("dependency_unavailable:" + e.dependency());
  }

  /** A stop signal (lease lost before client cancel) wins over what the generator said. */
  private AttemptOutcome outcomeOf(GenerationException e) {
    Stop stopped = stop.get();
    if (stopped != null) return outcomeOf(stopped);
    if (Thread.currentThread().isInterrupted()) return outcomeOf(Stop.SHUTDOWN);
    return switch (e) {
      case GenerationException.Permanent p -> new AttemptOutcome.Failed(p.getMessage(), false, p);
      case GenerationException.Transient t -> new AttemptOutcome.Failed(t.getMessage(), true, t);
      // the generator saw a stop that is gone now (an interrupt it swallowed): the node is stopping
      case GenerationException.Canceled c -> outcomeOf(Stop.SHUTDOWN);
    };
  }

  private static AttemptOutcome outcomeOf(Stop stop) {
    return switch (stop) {
      case CLIENT_CANCEL -> new AttemptOutcome.Canceled();
      case LEASE_LOST -> new AttemptOutcome.Abandoned("lease_lost");
      case SHUTDOWN -> new AttemptOutcome.Released("shutdown");
    };
  }

  /** The one write that ends the attempt, retried through outages. */
  private void apply(AttemptOutcome outcome) {
    switch (outcome) {
      case AttemptOutcome.Succeeded s ->
          finish(() -> store.succeed(claim, s.samples(), s.note(), s.poster()), "task_succeeded");
      case AttemptOutcome.Canceled c -> finish(() -> store.markCanceled(claim), "task_canceled");
      case AttemptOutcome.Failed f -> {
        if (stop.get() == Stop.LEASE_LOST) apply(outcomeOf(Stop.LEASE_LOST));
        else fail(f);
      }
      case AttemptOutcome.Released r -> {
        boolean interrupted = Thread.interrupted(); // let the JDBC call run, then restore the flag
        boolean released = persist(() -> store.release(claim), false);
        if (interrupted) Thread.currentThread().interrupt();
        log.info(
            "event=task_released task={} attempt={} why={} applied={}",
            claim.taskId(),
            claim.attempt(),
            r.why(),
            released);
      }
      case AttemptOutcome.Abandoned a ->
          log.warn(
              "event=task_attempt_abandoned task={} attempt={} why={}",
              claim.taskId(),
              claim.attempt(),
              a.why());
    }
  }

  private void fail(AttemptOutcome.Failed f) {
    var outcome =
        persist(
            () ->
                store.fail(
                    claim, f.reason(), f.retryable(), settings.maxFailures(), settings.retryBase()),
            TaskStore.FailOutcome.LOST);
    log.warn(
        "event=task_attempt_failed task={} attempt={} outcome={} retryable={} reason=\"{}\"",
        claim.taskId(),
        claim.attempt(),
        outcome,
        f.retryable(),
        f.reason(),
        f.retryable() ? f.cause() : null);
    if (outcome == TaskStore.FailOutcome.FAILED) notifyFinished();
  }

  private void finish(java.util.function.BooleanSupplier write, String event) {
    boolean ok = persist(write::getAsBoolean, false);
    long ms = Duration.between(started, clock.instant()).toMillis();
    log.info(
        "event={} task={} attempt={} ms={} applied={} {}",
        event,
        claim.taskId(),
        claim.attempt(),
        ms,
        ok,
        phases.fields());
    if (ok) notifyFinished();
  }

  private void notifyFinished() {
    store.findById(claim.taskId()).ifPresent(listener::finished);
  }

  private void storeSamples(int samples) throws IOException {
    for (int i = 0; i < samples; i++) {
      Path f = sampleFile(i);
      if (!Files.isRegularFile(f) || Files.size(f) == 0) {
        throw new IOException("the generator reported sample " + i + " but wrote no file");
      }
      blobs.put(BlobKeys.video(claim.taskId(), i), f, "video/mp4");
      setProgress(1 - STORE_SHARE + STORE_SHARE * (i + 1) / samples);
    }
  }

  /**
   * A poster of the first sample: the one the generator wrote from its frames, else one decoded
   * from the sample. A failure costs the thumbnail, never the task.
   */
  private boolean storePoster() {
    Path jpeg = posterFile();
    try {
      if (!Files.isRegularFile(jpeg) || Files.size(jpeg) == 0) posters.write(sampleFile(0), jpeg);
      blobs.put(BlobKeys.poster(claim.taskId()), jpeg, "image/jpeg");
      return true;
    } catch (DependencyUnavailableException e) {
      throw e; // wait for the bucket like the samples do
    } catch (IOException | RuntimeException e) {
      health
          .outageBehind(e)
          .ifPresent(
              outage -> {
                throw outage; // a full disk: wait for space like the samples do
              });
      log.warn("event=poster_failed task={} error=\"{}\"", claim.taskId(), e.toString());
      return false;
    }
  }

  /** A step of the attempt that may meet an outage. */
  @FunctionalInterface
  private interface Step<T> {
    T run() throws GenerationException, IOException;
  }

  /**
   * Runs {@code step}, waiting out outages of the database or the bucket (the lease stays renewed
   * meanwhile).
   */
  private <T> T untilAvailable(Step<T> step) throws GenerationException, IOException {
    while (true) {
      try {
        return step.run();
      } catch (DependencyUnavailableException e) {
        if (!awaitAvailable(e)) throw GenerationException.canceled();
      }
    }
  }

  /**
   * A write that ends or gives back the attempt, retried until the database answers. If this node
   * stops meanwhile the write is lost; the lease then expires and another node re-runs the task.
   */
  private <T> T persist(java.util.function.Supplier<T> write, T ifStopped) {
    while (true) {
      try {
        return write.get();
      } catch (DependencyUnavailableException e) {
        if (!awaitAvailable(e)) {
          log.warn(
              "event=task_write_abandoned task={} attempt={} why=stopping_during_outage",
              claim.taskId(),
              claim.attempt());
          return ifStopped;
        }
      }
    }
  }

  /**
   * Waits until the dependency that failed is back; false when the attempt should stop instead
   * (canceled, lease lost, node stopping).
   */
  private boolean awaitAvailable(DependencyUnavailableException e) {
    log.info(
        "event=task_waiting_for_dependency task={} attempt={} dependency={}",
        claim.taskId(),
        claim.attempt(),
        e.dependency());
    Circuit circuit = health.circuit(e.dependency()).orElse(null);
    try {
      if (circuit == null
          || circuit.isUp()) { // a busy pool, or it came back already: pause briefly
        Thread.sleep(Math.min(1000, e.retryAfter().toMillis()));
        return !stopping();
      }
      while (!circuit.awaitUp(Duration.ofSeconds(1))) {
        if (stopping()) return false;
      }
      return !stopping();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Whether the attempt should stop: a stop signal, or the worker thread interrupted by a shutdown.
   * Asks the worker's thread, not the caller's: the engine calls {@link #canceled()} from threads
   * of its own.
   */
  private boolean stopping() {
    return stop.get() != null || worker.isInterrupted();
  }

  private static GenerationRequest toRequest(TaskSpec s, InputImage first, InputImage last) {
    return new GenerationRequest(first, last, s.options());
  }

  /**
   * Flushes progress every second while it changes, and renews the lease at the heartbeat interval.
   */
  private void beat() {
    try {
      int percent = (int) Math.floor(progress.get() * 100);
      long now = clock.millis();
      boolean due = now - lastWriteMs >= settings.heartbeat().toMillis();
      if (percent == lastWrittenPercent && !due) return;
      HeartbeatResult r = store.heartbeat(claim, settings.lease(), Math.min(percent, 99), eta(now));
      lastWrittenPercent = percent;
      lastWriteMs = now;
      switch (r) {
        case LOST -> {
          if (ending) return;
          stop.set(Stop.LEASE_LOST);
          log.warn("event=lease_lost task={} attempt={}", claim.taskId(), claim.attempt());
        }
        case CANCEL_REQUESTED -> stop.compareAndSet(null, Stop.CLIENT_CANCEL);
        case OK -> {}
      }
    } catch (DependencyUnavailableException e) {
      // the circuit logged the outage; the next beat tries again
    } catch (RuntimeException e) {
      log.warn("event=heartbeat_failed task={} error=\"{}\"", claim.taskId(), e.toString());
    }
  }

  private int eta(long nowMs) {
    double p = progress.get();
    if (p <= INPUT_SHARE) return 0;
    double elapsed = (nowMs - started.toEpochMilli()) / 1000.0;
    return (int) Math.ceil(elapsed / p * (1 - p));
  }

  private void setProgress(double p) {
    progress.accumulateAndGet(Math.max(0, Math.min(1, p)), Math::max);
  }

  // GenerationJob

  @Override
  public String taskId() {
    return claim.taskId();
  }

  @Override
  public GenerationRequest request() {
    return request;
  }

  @Override
  public String generator() {
    return claim.task().spec().generator();
  }

  @Override
  public Path sampleFile(int index) {
    return dir.resolve("sample-" + index + ".mp4");
  }

  @Override
  public void progress(double fraction) {
    if (fraction > generatorFraction) {
      generatorFraction = fraction;
      setProgress(INPUT_SHARE + (1 - INPUT_SHARE - STORE_SHARE) * Math.min(1, fraction));
    }
  }

  @Override
  public boolean canceled() {
    return stopping();
  }
}
