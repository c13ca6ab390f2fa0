package dev.tween.google;

import com.google.genai.errors.ApiException;
import dev.tween.generate.GenerationException;
import dev.tween.generate.GenerationJob;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * How tween talks to a Google long-running job, the same for Veo operations and Omni interactions:
 * bounded slots, a submit that is retried only when Google says it started nothing, and a poll loop
 * with backoff, a timeout and bounded retries, all of it cancelable.
 *
 * @param name what users read in reasons, e.g. {@code Veo} or {@code Gemini Omni}
 * @param polling pace, timeout and retries
 * @param failure the task's failure for an error answer of Google, given what tween was doing
 */
record Upstream(
    String name,
    Polling polling,
    CallObserver calls,
    Clock clock,
    BiFunction<String, ApiException, GenerationException> failure) {

  /** One call to Google. */
  @FunctionalInterface
  interface Call<T> {
    T run() throws GenerationException;
  }

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

  /**
   * Starts a job and returns its name. A 429/5xx answer means nothing was started, so it is retried
   * with backoff; a request that broke after being sent may have started a job tween cannot name,
   * so it is NOT retried (that could charge twice) and the task fails saying so.
   */
  String submit(GenerationJob job, Call<String> call) throws GenerationException {
    for (int attempt = 1; ; attempt++) {
      try {
        String id = call.run();
        calls.call("submit", "ok");
        return id;
      } catch (ApiException e) {
        calls.call("submit", Integer.toString(e.code()));
        if (retryable(e.code()) && attempt < polling.retries()) {
          sleep(job, backoff(attempt));
          continue;
        }
        throw failure.apply("submitting to " + name, e);
      } catch (RuntimeException e) {
        if (e.getCause() instanceof IOException) {
          throw GenerationException.permanent(
              name
                  + " did not answer the submit ("
                  + e.getCause().getMessage()
                  + "); it may have started anyway, so tween does not resubmit to avoid a double charge. Submit again if needed.",
              e);
        }
        throw e;
      }
    }
  }

  /**
   * Polls {@code once} until it returns a value (the job is done), backing off between polls.
   * Progress goes from {@code from} towards {@code to} over the typical generation time.
   */
  <T> T poll(
      GenerationJob job, String id, Instant started, double from, double to, Call<Optional<T>> once)
      throws GenerationException {
    Duration wait = polling.first();
    int failures = 0;
    while (true) {
      if (job.canceled()) throw GenerationException.canceled();
      Duration elapsed = Duration.between(started, clock.instant());
      if (elapsed.compareTo(polling.timeout()) > 0) {
        throw GenerationException.permanent(
            name
                + " job "
                + id
                + " did not finish within "
                + polling.timeout().toMinutes()
                + " min");
      }
      job.progress(
          from
              + (to - from)
                  * Math.min(
                      1, (double) elapsed.toMillis() / Math.max(1, polling.typical().toMillis())));
      try {
        Optional<T> done = once.run();
        calls.call("poll", "ok");
        failures = 0;
        if (done.isPresent()) return done.get();
      } catch (ApiException e) {
        calls.call("poll", Integer.toString(e.code()));
        if (!retryable(e.code()) || ++failures >= polling.retries())
          throw failure.apply("polling " + name, e);
      } catch (RuntimeException e) {
        if (!(e.getCause() instanceof IOException) || ++failures >= polling.retries()) {
          throw GenerationException.transientFailure(
              "polling " + name + " failed: " + e.getMessage(), e);
        }
      }
      sleep(job, wait);
      wait = min(Duration.ofMillis((long) (wait.toMillis() * 1.5)), polling.max());
    }
  }

  private Duration backoff(int attempt) {
    return min(polling.first().multipliedBy(1L << Math.min(attempt, 10)), polling.max());
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
