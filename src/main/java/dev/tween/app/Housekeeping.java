package dev.tween.app;

import dev.tween.store.IdempotencyKeys;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic clean-up every node may run: expired idempotency keys, and reservations of tasks that
 * ended without a worker settling them (a lease expired into FAILED) or that were never created.
 */
final class Housekeeping implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
  private static final Duration EVERY = Duration.ofMinutes(10);

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("tween-housekeeping").factory());

  Housekeeping(IdempotencyKeys idempotency, Runnable settleReservations) {
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            int n = idempotency.purgeExpired();
            if (n > 0) log.info("event=idempotency_keys_purged count={}", n);
            settleReservations.run();
          } catch (dev.tween.health.DependencyUnavailableException e) {
            // the database circuit logged the outage; the next run purges
          } catch (RuntimeException e) {
            log.warn("event=housekeeping_failed error=\"{}\"", e.toString());
          }
        },
        1,
        EVERY.toMinutes(),
        TimeUnit.MINUTES);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
