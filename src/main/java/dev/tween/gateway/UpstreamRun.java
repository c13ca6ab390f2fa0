package dev.tween.gateway;

import dev.tween.generate.GenerationException;
import dev.tween.generate.GenerationRequest;
import dev.tween.generate.InputImage;
import dev.tween.generate.VideoOptions;
import dev.tween.health.DependencyUnavailableException;
import dev.tween.storage.BlobKeys;
import dev.tween.store.Claim;
import dev.tween.store.TaskStore;
import dev.tween.store.UpstreamQueue.OpState;
import dev.tween.store.UpstreamQueue.Operation;
import dev.tween.task.TaskSpec;
import dev.tween.worker.WorkDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of one upstream task, on a virtual thread of its own that sleeps between polls: it
 * creates the task's operations as deployments have room, polls them, delivers what they made and
 * ends the task. Whatever upstream answers (429, 5xx, silence) costs the task no attempt: the
 * operation waits, goes to another deployment, or the task goes back to the queue. Operations
 * already created are only ever polled again, never created twice.
 */
final class UpstreamRun implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(UpstreamRun.class);
  private static final int MAX_DELIVERY_FAILURES = 5;

  /** Why a run stops before it is done; a lost lease wins over a cancel. */
  enum Stop {
    CANCEL,
    LEASE_LOST,
    SHUTDOWN
  }

  private enum Phase {
    /** No slot yet. */
    WAITING,
    /** A slot is held; the create is to be sent (or settled, after a crash). */
    CREATING,
    RUNNING,
    /** Done upstream, not yet delivered. */
    FINISHED,
    DELIVERED
  }

  /** One operation, as this run sees it. */
  private static final class Op {
    final int index;
    Phase phase = Phase.WAITING;
    Deployment deployment;
    String id;
    Instant createdAt;
    Instant due = Instant.EPOCH;
    Duration wait;
    OptionalDouble reported = OptionalDouble.empty();
    OperationState.Finished finished;
    Delivery delivery;

    /** False for a create this run did not send (a stopped node did, or tried): settle it first. */
    boolean fresh = true;

    /** Marked CREATING in the database: the create is on its way (or went, before a crash). */
    boolean sent;

    int deliveryFailures;

    /** Upstream lost it once already (and it was created again). */
    boolean lostOnce;

    Op(int index) {
      this.index = index;
    }
  }

  /** How the attempt ended, before the write that ends it. */
  private sealed interface Outcome {
    record Succeeded(int samples, String note, boolean poster) implements Outcome {}

    record Failed(String reason, boolean retryable) implements Outcome {}

    record Released(String why) implements Outcome {}

    record Canceled() implements Outcome {}

    record Abandoned(String why) implements Outcome {}
  }

  private final Claim claim;
  private final UpstreamModel model;
  private final Gateway parts;
  private final List<Op> ops = new ArrayList<>();
  private final AtomicReference<Stop> stop = new AtomicReference<>();
  private final Semaphore signal = new Semaphore(0);
  private final Path dir;
  private final Instant started;
  private final long launchedNanos = System.nanoTime();
  private volatile double fraction;

  /**
   * @param known the task's operations: the one its admission created (fresh), or those a stopped
   *     node left (not fresh: a CREATING one may or may not have reached upstream)
   */
  UpstreamRun(
      Claim claim, UpstreamModel model, List<Operation> known, boolean fresh, Gateway parts) {
    this.claim = claim;
    this.model = model;
    this.parts = parts;
    this.started = parts.clock().instant();
    this.dir = parts.settings().workDir().resolve(claim.taskId() + "-" + claim.attempt());
    int n = model.operations(options());
    for (int i = 0; i < n; i++) ops.add(new Op(i));
    for (Operation o : known) adopt(o, fresh);
  }

  private void adopt(Operation o, boolean fresh) {
    if (o.index() >= ops.size()) return;
    Op op = ops.get(o.index());
    op.deployment = parts.deployment(o.deployment());
    op.id = o.upstreamId().orElse(null);
    op.createdAt = o.createdAt();
    op.phase =
        switch (o.state()) {
          case RESERVED, CREATING -> Phase.CREATING;
          case RUNNING, DONE -> Phase.RUNNING; // a DONE one is polled once more for its result
        };
    // only a create that was being sent may have reached upstream; a reserved slot sent nothing
    op.sent = o.state() == OpState.CREATING;
    op.fresh = fresh || o.state() == OpState.RESERVED;
    op.wait = model.pollFirst();
  }

  String taskId() {
    return claim.taskId();
  }

  Claim claim() {
    return claim;
  }

  /** When this run was made ({@link System#nanoTime}), to tell it from a lease renewal's answer. */
  long launchedNanos() {
    return launchedNanos;
  }

  /** Tells the run to stop; a lost lease overrides a cancel, nothing overrides a lost lease. */
  void stop(Stop why) {
    stop.updateAndGet(
        current ->
            current == null || (why == Stop.LEASE_LOST && current != Stop.LEASE_LOST)
                ? why
                : current);
    signal.release();
  }

  /** Something it may be waiting for changed (a slot freed on this node). */
  void nudge() {
    if (signal.availablePermits() == 0) signal.release();
  }

  /** Whether an operation waits for a slot (worth a nudge when one frees). */
  boolean waitingForSlot() {
    for (Op op : ops) if (op.phase == Phase.WAITING) return true;
    return false;
  }

  /** Progress in [0,1], never decreasing. */
  double fraction() {
    return fraction;
  }

  /** Seconds until the last operation is expected to be delivered. */
  int etaSeconds() {
    Instant now = parts.clock().instant();
    long typical = model.typical().toSeconds();
    long eta = 0;
    for (Op op : ops) {
      long left =
          switch (op.phase) {
            case WAITING, CREATING -> typical;
            case RUNNING -> Math.max(1, typical - Duration.between(op.createdAt, now).toSeconds());
            case FINISHED -> 1;
            case DELIVERED -> 0;
          };
      eta = Math.max(eta, left);
    }
    return (int) Math.min(eta, Integer.MAX_VALUE);
  }

  @Override
  public void run() {
    log.info(
        "event=task_started task={} attempt={} generator={} operations={}",
        claim.taskId(),
        claim.attempt(),
        model.name(),
        ops.size());
    try {
      Files.createDirectories(dir);
      apply(attempt());
    } catch (IOException e) {
      // a full disk is an outage: the task goes back to the queue uncounted
      apply(
          parts.health().outageBehind(e).isPresent()
              ? new Outcome.Released("dependency_unavailable:disk")
              : new Outcome.Failed("cannot prepare the work directory: " + e.getMessage(), true));
    } finally {
      WorkDir.delete(dir);
      parts.ended(this);
    }
  }

  private Outcome attempt() {
    try {
      while (true) {
        Stop s = stop.get();
        if (s != null) return stopped(s);
        Optional<Outcome> timedOut = timeout();
        if (timedOut.isPresent()) return timedOut.get();
        for (Op op : ops) step(op);
        updateFraction();
        if (ops.stream().allMatch(o -> o.phase == Phase.DELIVERED)) return finish();
        if (ops.stream().allMatch(o -> o.phase == Phase.WAITING)) {
          return new Outcome.Released("no deployment has room");
        }
        sleepUntilDue();
      }
    } catch (UpstreamException e) {
      // Rejected; the other kinds are handled where they are thrown
      return new Outcome.Failed(e.getMessage(), !(e instanceof UpstreamException.Rejected));
    } catch (Fatal e) {
      return e.outcome;
    } catch (GenerationException e) {
      return new Outcome.Failed(e.getMessage(), e.retryable());
    } catch (Stopping e) {
      return stopped(stop.get() == null ? Stop.SHUTDOWN : stop.get());
    } catch (IOException e) {
      return new Outcome.Failed("storing the result failed: " + e.getMessage(), true);
    } catch (RuntimeException e) {
      log.error("event=upstream_run_error task={} error=\"{}\"", claim.taskId(), e.toString(), e);
      return new Outcome.Failed("internal error: " + e, true);
    }
  }

  private void step(Op op) throws UpstreamException, GenerationException, IOException {
    Instant now = parts.clock().instant();
    if (now.isBefore(op.due)) return;
    switch (op.phase) {
      case WAITING -> admit(op);
      case CREATING -> create(op);
      case RUNNING -> poll(op);
      case FINISHED -> deliver(op);
      case DELIVERED -> {}
    }
  }

  /** A further operation of this task takes a slot on a deployment with room, if any has. */
  private void admit(Op op) throws UpstreamException, GenerationException, IOException {
    Optional<Operation> got =
        untilAvailable(() -> parts.queue().admitOperation(claim, op.index, parts.openings(model)));
    if (got.isEmpty()) {
      op.due = parts.clock().instant().plus(parts.settings().idlePoll());
      return;
    }
    adopt(got.get(), true);
    create(op);
  }

  private void create(Op op) throws UpstreamException, GenerationException, IOException {
    Deployment d = op.deployment;
    if (!op.fresh && !settle(op)) return;
    if (op.phase != Phase.CREATING) return; // settled: it was created before
    if (!d.circuit.tryCall()) {
      refused(op, "deployment " + d.name() + " is down");
      return;
    }
    Optional<String> chosen = op.id != null ? Optional.of(op.id) : d.upstream().chooseId();
    String id;
    acquire(parts.creates());
    try {
      var request = OperationRequest.of(claim.taskId(), op.index, request());
      if (!op.sent) {
        // marked just before the call (with the id tween chose, where upstream takes one): a crash
        // from here on leaves an operation upstream may have, settled when the task resumes
        if (!untilAvailable(() -> parts.queue().sending(claim, op.index, chosen))) {
          stop(Stop.LEASE_LOST);
          throw new Stopping();
        }
        op.sent = true;
        op.id = chosen.orElse(null);
      }
      id = d.upstream().create(request, chosen);
      d.circuit.succeeded();
      d.created();
    } catch (UpstreamException.Throttled e) {
      parts.throttled(d, e.retryAfter());
      refused(op, e.getMessage());
      return;
    } catch (UpstreamException.Unavailable e) {
      d.circuit.failed(e.getMessage());
      refused(op, e.getMessage());
      return;
    } catch (UpstreamException.Ambiguous e) {
      if (chosen.isEmpty()) {
        throw new Fatal(
            new Outcome.Failed(
                e.getMessage()
                    + "; it may have started anyway, so tween does not create it again (that could"
                    + " charge twice). Submit again if needed.",
                false));
      }
      op.fresh = false; // tween named it: whether upstream has it is settled on the next step
      op.due = parts.clock().instant().plus(Duration.ofSeconds(1));
      return;
    } finally {
      parts.creates().release();
    }
    started(op, id);
  }

  /**
   * A create this run did not send itself (a node stopped while sending it): returns true when it
   * should be sent now, having made the operation RUNNING instead if upstream already has it.
   */
  private boolean settle(Op op) throws UpstreamException {
    Deployment d = op.deployment;
    if (op.id == null) {
      if (d.upstream().chooseId().isEmpty()) {
        throw new Fatal(
            new Outcome.Failed(
                model.name()
                    + " operation "
                    + (op.index + 1)
                    + " of this task was being created on "
                    + d.name()
                    + " when tween stopped; it may have started (and be charged) without tween"
                    + " knowing its name, so tween does not create it again. Submit again if"
                    + " needed.",
                false));
      }
      op.fresh = true; // the chosen id is stored before sending: none stored, none sent
      return true;
    }
    if (!d.circuit.tryCall()) {
      op.due = parts.clock().instant().plus(Duration.ofSeconds(1));
      return false;
    }
    boolean known;
    try {
      known = d.upstream().exists(op.id);
      d.circuit.succeeded();
    } catch (UpstreamException.Unavailable
        | UpstreamException.Throttled
        | UpstreamException.Ambiguous e) {
      if (e instanceof UpstreamException.Unavailable) d.circuit.failed(e.getMessage());
      op.due = parts.clock().instant().plus(Duration.ofSeconds(1));
      return false;
    }
    if (known) {
      started(op, op.id);
      return false;
    }
    op.fresh = true;
    return true;
  }

  private void started(Op op, String id) {
    if (!untilAvailable(() -> parts.queue().created(claim, op.index, id))) {
      stop(Stop.LEASE_LOST);
      throw new Stopping();
    }
    op.id = id;
    op.phase = Phase.RUNNING;
    op.createdAt = parts.clock().instant();
    op.wait = model.pollFirst();
    op.due = op.createdAt.plus(op.wait);
    log.info(
        "event=operation_created task={} index={} deployment={} id={}",
        claim.taskId(),
        op.index,
        op.deployment.name(),
        id);
  }

  /**
   * Upstream started nothing: the slot is given back, and the operation tries again for a slot at
   * once (another deployment may have room). A task left with nothing running goes back to the
   * queue.
   */
  private void refused(Op op, String why) {
    untilAvailable(() -> parts.queue().refused(claim, op.index));
    log.info(
        "event=operation_refused task={} index={} deployment={} why=\"{}\"",
        claim.taskId(),
        op.index,
        op.deployment.name(),
        why);
    backToWaiting(op);
  }

  /** The operation waits for a slot again, to be created anew. */
  private void backToWaiting(Op op) {
    op.phase = Phase.WAITING;
    op.deployment = null;
    op.id = null;
    op.createdAt = null;
    op.fresh = true;
    op.sent = false;
    op.due = Instant.EPOCH;
  }

  private void poll(Op op) throws UpstreamException {
    Deployment d = op.deployment;
    Instant now = parts.clock().instant();
    if (!d.circuit.tryCall()) {
      op.due = now.plus(Duration.ofSeconds(1));
      return;
    }
    OperationState state;
    acquire(parts.polls());
    try {
      state = d.upstream().poll(op.id);
      d.circuit.succeeded();
    } catch (UpstreamException.Throttled e) {
      parts.throttled(d, e.retryAfter());
      op.due = parts.clock().instant().plus(e.retryAfter());
      return;
    } catch (UpstreamException.Unavailable | UpstreamException.Ambiguous e) {
      d.circuit.failed(e.getMessage());
      op.due = parts.clock().instant().plus(Duration.ofSeconds(1));
      return;
    } catch (UpstreamException.Lost e) {
      d.circuit.succeeded();
      requeue(op, e);
      return;
    } finally {
      parts.polls().release();
    }
    switch (state) {
      case OperationState.Running r -> {
        op.reported = r.fraction();
        op.wait = next(op.wait);
        op.due = parts.clock().instant().plus(op.wait);
      }
      case OperationState.Finished f -> {
        op.finished = f;
        op.phase = Phase.FINISHED;
        untilAvailable(() -> parts.queue().finished(claim, op.index));
        parts.slotFreed();
        deliver(op);
      }
    }
  }

  /**
   * An operation upstream dropped (nothing will come of it, nothing was charged) is created again,
   * once; dropped twice, the task fails with upstream's words.
   */
  private void requeue(Op op, UpstreamException.Lost e) throws UpstreamException {
    if (op.lostOnce)
      throw new UpstreamException.Rejected(e.getMessage() + ", again after tween re-queued it", e);
    untilAvailable(() -> parts.queue().lost(claim, op.index));
    log.warn(
        "event=operation_lost task={} index={} deployment={} id={} error=\"{}\"",
        claim.taskId(),
        op.index,
        op.deployment.name(),
        op.id,
        e.getMessage());
    parts.slotFreed();
    op.lostOnce = true;
    backToWaiting(op);
  }

  private Duration next(Duration wait) {
    Duration grown = Duration.ofMillis((long) (wait.toMillis() * 1.5));
    return grown.compareTo(model.pollMax()) > 0 ? model.pollMax() : grown;
  }

  private void deliver(Op op) throws UpstreamException {
    Deployment d = op.deployment;
    acquire(parts.deliveries());
    try {
      op.delivery =
          d.upstream()
              .deliver(
                  op.id,
                  op.finished,
                  options(),
                  k -> dir.resolve("op" + op.index + "-" + k + ".mp4"));
      op.finished = null;
      op.phase = Phase.DELIVERED;
    } catch (UpstreamException.Throttled
        | UpstreamException.Unavailable
        | UpstreamException.Ambiguous e) {
      var diskFull = parts.health().outageBehind(e);
      if (diskFull.isPresent()) { // the data dir's disk is full: fetch it again once it has room
        op.finished = null;
        op.phase = Phase.RUNNING;
        awaitAvailable(diskFull.get());
        op.due = parts.clock().instant();
        return;
      }
      if (++op.deliveryFailures >= MAX_DELIVERY_FAILURES) {
        // a sample that fails its checks again and again is broken, not late: a later attempt
        // fetches it anew (the operation stays upstream) after the usual backoff
        throw new Fatal(
            new Outcome.Failed(
                "delivering the result of "
                    + model.name()
                    + " operation "
                    + op.id
                    + " failed "
                    + op.deliveryFailures
                    + " times: "
                    + e.getMessage(),
                true));
      }
      // the result stays upstream: fetch it again shortly
      log.warn(
          "event=delivery_failed task={} index={} deployment={} error=\"{}\"",
          claim.taskId(),
          op.index,
          d.name(),
          e.getMessage());
      op.finished = null;
      op.phase = Phase.RUNNING;
      op.due = parts.clock().instant().plus(Duration.ofSeconds(2));
    } finally {
      parts.deliveries().release();
    }
  }

  /** An operation that has not finished within the timeout of its create ends the task. */
  private Optional<Outcome> timeout() {
    Instant now = parts.clock().instant();
    Duration limit = parts.settings().timeout();
    for (Op op : ops) {
      if ((op.phase == Phase.RUNNING || op.phase == Phase.CREATING)
          && op.createdAt != null
          && Duration.between(op.createdAt, now).compareTo(limit) > 0) {
        return Optional.of(
            new Outcome.Failed(
                model.name()
                    + " operation "
                    + (op.id == null ? "" : op.id + " ")
                    + "on "
                    + op.deployment.name()
                    + " did not finish within "
                    + limit.toMinutes()
                    + " min of its create",
                false));
      }
    }
    return Optional.empty();
  }

  /** Every operation delivered: store the samples, then SUCCEED (or FAILED when none was made). */
  private Outcome finish() throws IOException {
    List<Path> files = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    int filtered = 0;
    for (Op op : ops) {
      for (int k = 0; k < op.delivery.samples(); k++)
        files.add(dir.resolve("op" + op.index + "-" + k + ".mp4"));
      filtered += op.delivery.filtered();
      if (ops.size() > 1 && op.delivery.samples() == 0) missing.addAll(op.delivery.notes());
      else notes.addAll(op.delivery.notes());
    }
    if (files.isEmpty()) {
      List<String> why = missing.isEmpty() ? notes : missing;
      String reason =
          ops.size() == 1
              ? String.join("; ", why)
              : "none of the " + ops.size() + " samples was made: " + String.join("; ", why);
      return new Outcome.Failed(
          reason.isBlank()
              ? model.name() + " finished without any video and without a reason"
              : reason,
          false);
    }
    if (!missing.isEmpty())
      notes.add(
          0,
          missing.size()
              + " of "
              + ops.size()
              + " samples were not made: "
              + String.join("; ", missing));
    notes.addAll(model.notes(options()));
    notes.addAll(model.capabilities().ignored(options()));
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      if (!Files.isRegularFile(f) || Files.size(f) == 0)
        throw new IOException("the upstream reported sample " + i + " but wrote no file");
      int index = i;
      untilAvailableIo(
          () -> parts.blobs().put(BlobKeys.video(claim.taskId(), index), f, "video/mp4"));
    }
    boolean poster = poster(files.getFirst());
    log.debug(
        "event=delivered task={} samples={} filtered={}", claim.taskId(), files.size(), filtered);
    return new Outcome.Succeeded(files.size(), String.join("; ", notes), poster);
  }

  /** A poster of the first sample; a failure costs the thumbnail, never the task. */
  private boolean poster(Path first) {
    Path jpeg = dir.resolve("poster.jpg");
    try {
      parts.posters().write(first, jpeg);
      untilAvailableIo(
          () -> parts.blobs().put(BlobKeys.poster(claim.taskId()), jpeg, "image/jpeg"));
      return true;
    } catch (IOException | RuntimeException e) {
      if (e instanceof Stopping s) throw s;
      log.warn("event=poster_failed task={} error=\"{}\"", claim.taskId(), e.toString());
      return false;
    }
  }

  private Outcome stopped(Stop s) {
    return switch (s) {
      case CANCEL -> new Outcome.Canceled();
      case LEASE_LOST -> new Outcome.Abandoned("lease_lost");
      case SHUTDOWN -> new Outcome.Released("shutdown");
    };
  }

  /** The one write that ends the attempt, retried through database outages. */
  private void apply(Outcome outcome) {
    if (stop.get() == Stop.LEASE_LOST && !(outcome instanceof Outcome.Abandoned)) {
      outcome = new Outcome.Abandoned("lease_lost");
    }
    TaskStore store = parts.store();
    switch (outcome) {
      case Outcome.Succeeded s -> {
        if (persist(() -> store.succeed(claim, s.samples(), s.note(), s.poster())))
          finished("task_succeeded");
      }
      case Outcome.Canceled c -> {
        cancelUpstream();
        if (persist(() -> store.markCanceled(claim))) finished("task_canceled");
      }
      case Outcome.Failed f -> {
        var result =
            persistValue(
                () ->
                    store.fail(
                        claim,
                        f.reason(),
                        f.retryable(),
                        parts.settings().maxFailures(),
                        parts.settings().retryBase()),
                TaskStore.FailOutcome.LOST);
        log.warn(
            "event=task_attempt_failed task={} attempt={} outcome={} retryable={} reason=\"{}\"",
            claim.taskId(),
            claim.attempt(),
            result,
            f.retryable(),
            f.reason());
        if (result == TaskStore.FailOutcome.FAILED) notifyFinished();
      }
      case Outcome.Released r -> {
        boolean released = persist(() -> store.release(claim));
        log.info(
            "event=task_released task={} attempt={} why=\"{}\" applied={}",
            claim.taskId(),
            claim.attempt(),
            r.why(),
            released);
      }
      case Outcome.Abandoned a ->
          log.warn(
              "event=task_attempt_abandoned task={} attempt={} why={}",
              claim.taskId(),
              claim.attempt(),
              a.why());
    }
  }

  private void finished(String event) {
    log.info(
        "event={} task={} attempt={} ms={}",
        event,
        claim.taskId(),
        claim.attempt(),
        Duration.between(started, parts.clock().instant()).toMillis());
    notifyFinished();
  }

  private void notifyFinished() {
    try {
      parts.store().findById(claim.taskId()).ifPresent(parts.listener()::finished);
    } catch (RuntimeException e) {
      log.warn("event=task_listener_failed task={} error=\"{}\"", claim.taskId(), e.toString());
    }
  }

  /** Best effort: operations still running upstream for a canceled task are told to stop. */
  private void cancelUpstream() {
    for (Op op : ops) {
      if (op.id == null || (op.phase != Phase.RUNNING && op.phase != Phase.CREATING)) continue;
      try {
        op.deployment.upstream().cancel(op.id);
      } catch (UpstreamException | RuntimeException e) {
        log.info(
            "event=operation_cancel_failed task={} index={} error=\"{}\"",
            claim.taskId(),
            op.index,
            e.getMessage());
      }
    }
  }

  private void updateFraction() {
    Instant now = parts.clock().instant();
    double typical = Math.max(1, model.typical().toMillis());
    double sum = 0;
    for (Op op : ops) {
      sum +=
          switch (op.phase) {
            case WAITING -> 0;
            case CREATING -> 0.02;
            case RUNNING ->
                op.reported.orElse(
                    Math.min(0.95, Duration.between(op.createdAt, now).toMillis() / typical));
            case FINISHED -> 0.97;
            case DELIVERED -> 1;
          };
    }
    fraction = Math.max(fraction, 0.03 + 0.94 * sum / ops.size());
  }

  /** Sleeps until the next operation is due, or until told to stop or nudged. */
  private void sleepUntilDue() {
    Instant now = parts.clock().instant();
    Instant next =
        ops.stream()
            .filter(o -> o.phase != Phase.DELIVERED)
            .map(o -> o.due)
            .min(Comparator.naturalOrder())
            .orElse(now);
    long ms = Math.max(1, Math.min(Duration.between(now, next).toMillis(), 60_000));
    try {
      signal.tryAcquire(ms, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(Stop.SHUTDOWN);
    }
  }

  private VideoOptions options() {
    return claim.task().spec().options();
  }

  /** The task's two frames, read from storage for each create and not held in between. */
  private GenerationRequest request() throws GenerationException {
    TaskSpec spec = claim.task().spec();
    InputImage first = untilAvailableGen(() -> parts.inputs().resolve("image", spec.firstFrame()));
    InputImage last =
        untilAvailableGen(() -> parts.inputs().resolve("last_frame_image", spec.lastFrame()));
    return new GenerationRequest(first, last, spec.options());
  }

  private void acquire(Semaphore permits) {
    try {
      while (!permits.tryAcquire(200, TimeUnit.MILLISECONDS)) {
        if (stop.get() != null) throw new Stopping();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Stopping();
    }
  }

  @FunctionalInterface
  private interface GenStep<T> {
    T run() throws GenerationException;
  }

  @FunctionalInterface
  private interface IoStep {
    void run() throws IOException;
  }

  private <T> T untilAvailable(java.util.function.Supplier<T> step) {
    while (true) {
      try {
        return step.get();
      } catch (DependencyUnavailableException e) {
        awaitAvailable(e);
      }
    }
  }

  private <T> T untilAvailableGen(GenStep<T> step) throws GenerationException {
    while (true) {
      try {
        return step.run();
      } catch (DependencyUnavailableException e) {
        awaitAvailable(e);
      }
    }
  }

  private void untilAvailableIo(IoStep step) throws IOException {
    while (true) {
      try {
        step.run();
        return;
      } catch (DependencyUnavailableException e) {
        awaitAvailable(e);
      }
    }
  }

  /** Waits out an outage of the database or the bucket; throws {@link Stopping} if told to stop. */
  private void awaitAvailable(DependencyUnavailableException e) {
    log.info(
        "event=task_waiting_for_dependency task={} attempt={} dependency={}",
        claim.taskId(),
        claim.attempt(),
        e.dependency());
    var circuit = parts.health().circuit(e.dependency()).orElse(null);
    try {
      if (circuit == null || circuit.isUp()) {
        Thread.sleep(Math.min(1000, e.retryAfter().toMillis()));
      } else {
        while (!circuit.awaitUp(Duration.ofSeconds(1))) {
          if (stop.get() != null) throw new Stopping();
        }
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new Stopping();
    }
    if (stop.get() != null) throw new Stopping();
  }

  /** A write that ends or gives back the attempt, retried until the database answers. */
  private boolean persist(java.util.function.BooleanSupplier write) {
    return persistValue(write::getAsBoolean, false);
  }

  private <T> T persistValue(java.util.function.Supplier<T> write, T ifStopped) {
    while (true) {
      try {
        return write.get();
      } catch (DependencyUnavailableException e) {
        try {
          var circuit = parts.health().circuit(e.dependency());
          if (circuit.isPresent()) circuit.get().awaitUp(Duration.ofSeconds(1));
          else Thread.sleep(500);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return ifStopped;
        }
        if (parts.closing()) {
          log.warn(
              "event=task_write_abandoned task={} attempt={} why=stopping_during_outage",
              claim.taskId(),
              claim.attempt());
          return ifStopped;
        }
      }
    }
  }

  /** Ends the attempt with {@code outcome} from deep inside a step. */
  private static final class Fatal extends RuntimeException {
    final Outcome outcome;

    Fatal(Outcome outcome) {
      super(null, null, false, false);
      this.outcome = outcome;
    }
  }

  /** The run was told to stop while waiting. */
  private static final class Stopping extends RuntimeException {
    Stopping() {
      super(null, null, false, false);
    }
  }
}
