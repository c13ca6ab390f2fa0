package dev.tween.worker;

import dev.tween.generate.Generator;
import dev.tween.health.DependencyUnavailableException;
import dev.tween.health.Health;
import dev.tween.storage.BlobStore;
import dev.tween.store.Claim;
import dev.tween.store.TaskStore;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local engine's workers of one node: each claims a task of a generator that renders here, runs
 * it to an end state and claims the next. Idle workers wake on {@link #wake()} (a submit on this
 * node) or every poll interval (other nodes' submits, retries whose backoff ended). Upstream tasks
 * never take a worker: the gateway runs them.
 */
public final class WorkerPool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  private final TaskStore store;
  private final BlobStore blobs;
  private final Generator generator;
  private final InputResolver inputs;
  private final PosterMaker posters;
  private final TaskListener listener;
  private final WorkerSettings settings;
  private final Clock clock;
  private final String nodeId;
  private final java.util.List<String> generators;
  private final Health health;
  private final Semaphore wakeups = new Semaphore(0);
  private final List<Thread> threads = new ArrayList<>();
  private final ScheduledExecutorService scheduler;
  private volatile boolean running;

  /**
   * @param generators the names of the tasks it claims ({@code ""}: tasks from before per-model
   *     routes, when the node's first generator renders here)
   * @param inputs reads stored inputs and fetches those given as URLs
   */
  public WorkerPool(
      TaskStore store,
      BlobStore blobs,
      Generator generator,
      java.util.List<String> generators,
      InputResolver inputs,
      PosterMaker posters,
      TaskListener listener,
      WorkerSettings settings,
      Clock clock,
      String nodeId,
      Health health) {
    this.health = health;
    this.posters = posters;
    this.store = store;
    this.blobs = blobs;
    this.generator = generator;
    this.generators = java.util.List.copyOf(generators);
    this.inputs = inputs;
    this.listener = listener;
    this.settings = settings;
    this.clock = clock;
    this.nodeId = nodeId;
    this.scheduler =
        Executors.newScheduledThreadPool(
            1, Thread.ofPlatform().daemon().name("tween-worker-heartbeat").factory());
  }

  public void start() throws IOException {
    WorkDir.empty(settings.workDir());
    running = true;
    for (int i = 0; i < settings.workers(); i++) {
      Thread t = Thread.ofPlatform().name("tween-worker-" + i).start(this::loop);
      threads.add(t);
    }
    log.info(
        "event=workers_started node={} workers={} generator={}",
        nodeId,
        settings.workers(),
        generator.name());
  }

  /** A task was queued: let an idle worker look now instead of at its next poll. */
  public void wake() {
    if (wakeups.availablePermits() < settings.workers()) wakeups.release();
  }

  private void loop() {
    ThreadNice.lower(settings.nice());
    while (running) {
      try {
        if (!health
            .allUp()) { // a task claimed now could only wait; leave it to a node that can run it
          health.awaitUp(settings.poll());
          continue;
        }
        Optional<Claim> claim = store.claim(nodeId, settings.lease(), generators);
        if (claim.isPresent()) {
          run(claim.get());
          continue;
        }
        wakeups.tryAcquire(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (DependencyUnavailableException e) {
        pause(); // the circuit logged it; the loop above waits for it
      } catch (RuntimeException e) {
        log.error("event=worker_loop_error error=\"{}\"", e.toString(), e);
        pause();
      }
    }
  }

  private void run(Claim claim) {
    new TaskRun(
            claim, store, blobs, generator, inputs, posters, listener, settings, clock, scheduler,
            health)
        .run();
  }

  /** Waits a poll interval before trying again (or less, if a task is queued meanwhile). */
  private void pause() {
    try {
      wakeups.tryAcquire(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops claiming and interrupts running work. A task interrupted here is given back to the queue
   * at once ({@code TaskRun} releases its claim) and re-run by some node: stopping loses nothing.
   * If the release cannot be written, its lease expires and the task is re-run all the same.
   */
  @Override
  public void close() {
    running = false;
    threads.forEach(Thread::interrupt);
    for (Thread t : threads) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    scheduler.shutdownNow();
  }
}
