package dev.tween.google;

import dev.tween.generate.GenerationException;
import dev.tween.generate.GenerationJob;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Waiting towards Google that stays cancelable: slots, backoff and sleeps shared by both generators. */
final class Pacing {
  private Pacing() {}

  /** Waits for a slot towards Google, staying cancelable. */
  static void acquire(Semaphore permits, GenerationJob job) throws GenerationException {
    try {
      while (!permits.tryAcquire(200, TimeUnit.MILLISECONDS)) {
        if (job.canceled()) throw GenerationException.canceled();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw GenerationException.canceled();
    }
  }

  /** 429, 408 and 5xx mean Google did not do the work: the call may be repeated. */
  static boolean retryable(int code) {
    return code == 429 || code == 408 || code >= 500;
  }

  static Duration backoff(Duration first, Duration max, int attempt) {
    return min(first.multipliedBy(1L << Math.min(attempt, 10)), max);
  }

  static Duration grow(Duration wait, Duration max) {
    return min(Duration.ofMillis((long) (wait.toMillis() * 1.5)), max);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  static void sleep(GenerationJob job, Duration d) throws GenerationException {
    long end = System.nanoTime() + d.toNanos();
    try {
      while (System.nanoTime() < end) {
        if (job.canceled()) throw GenerationException.canceled();
        Thread.sleep(Math.max(1, Math.min(200, (end - System.nanoTime()) / 1_000_000)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw GenerationException.canceled();
    }
  }
}
