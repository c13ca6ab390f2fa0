package dev.tween.worker;

import dev.tween.health.DependencyUnavailableException;
import dev.tween.health.Health;
import dev.tween.store.TaskStore;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back to the queue the tasks whose node died (their lease expired): local-engine and
 * upstream tasks alike; an upstream task's operations stay with their deployments and are resumed
 * by whichever node takes it next. Runs on every node that works on tasks.
 */
public final class LeaseReaper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);

  private final TaskStore store;
  private final Health health;
  private final Duration lease;
  private final int maxCrashes;
  private final Runnable requeued;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("tween-reaper").factory());

  /**
   * @param requeued told when tasks went back to the queue (wakes this node's workers)
   */
  public LeaseReaper(
      TaskStore store, Health health, Duration lease, int maxCrashes, Runnable requeued) {
    this.store = store;
    this.health = health;
    this.lease = lease;
    this.maxCrashes = maxCrashes;
    this.requeued = requeued;
  }

  public void start(Duration every) {
    long ms = Math.max(every.toMillis(), 1000);
    timer.scheduleWithFixedDelay(this::reap, 0, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * Leases expire during a database outage (or while the disk under SQLite is full) because no
   * heartbeat can be written, though their workers are alive. They get one lease after every
   * dependency is back to renew them before any is counted as a crash.
   */
  void reap() {
    if (health.unsettled(lease)) return;
    try {
      int n = store.recoverExpiredLeases(maxCrashes);
      if (n > 0) {
        log.warn("event=expired_leases_recovered count={}", n);
        requeued.run();
      }
    } catch (DependencyUnavailableException e) {
      // logged once by the circuit
    } catch (RuntimeException e) {
      log.error("event=reaper_error error=\"{}\"", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
