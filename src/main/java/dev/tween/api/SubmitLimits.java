package dev.tween.api;

import dev.tween.keys.RateLimiter;
import dev.tween.store.TaskStore;
import dev.tween.task.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Load shedding at submit: room on the node's disk (507), the per-key rate limit and the queue's
 * capacity (429). Each answers fast with {@code Retry-After} rather than letting clients time out.
 */
final class SubmitLimits {
  /**
   * Recounting queued tasks on every submit is wasted work under a burst; a short-lived count is
   * enough.
   */
  static final Duration DEPTH_CACHE = Duration.ofMillis(250);

  private final Optional<RateLimiter> rate;
  private final TaskStore store;
  private final int capacity;
  private final Clock clock;
  private final java.util.function.IntFunction<RateLimiter> perKeyRate;
  private final Runnable room;
  private final java.util.Map<Integer, RateLimiter> keyLimiters =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile long depth;
  private volatile long depthAt =
      Long.MIN_VALUE / 2; // "long ago", without overflow in now - depthAt

  SubmitLimits(
      Optional<RateLimiter> rate,
      TaskStore store,
      int capacity,
      Clock clock,
      java.util.function.IntFunction<RateLimiter> perKeyRate,
      Runnable room) {
    this.room = room;
    this.rate = rate;
    this.perKeyRate = perKeyRate;
    this.store = store;
    this.capacity = capacity;
    this.clock = clock;
  }

  /** Refuses new work while the disk is (nearly) full, before anything is written. */
  void checkRoom() {
    room.run();
  }

  /**
   * A key created with its own {@code rate_limit_per_minute} uses that instead of the node's limit.
   */
  void checkRate(dev.tween.keys.Principal p) {
    Optional<RateLimiter> limiter =
        p.rateLimitPerMinute() > 0
            ? Optional.of(keyLimiters.computeIfAbsent(p.rateLimitPerMinute(), perKeyRate::apply))
            : rate;
    if (limiter.isEmpty()) return;
    String tenant = p.tenant();
    limiter
        .get()
        .tryAcquire(tenant)
        .ifPresent(
            wait -> {
              throw tooMany(
                  "RATE_LIMIT_EXCEEDED",
                  "too many submits for this API key; retry in " + seconds(wait) + " s",
                  wait);
            });
  }

  void checkCapacity() {
    long now = clock.millis();
    if (now - depthAt > DEPTH_CACHE.toMillis()) {
      depth = store.countByStatus().get(TaskStatus.QUEUED);
      depthAt = now;
    }
    if (depth >= capacity) {
      throw tooMany(
          "QUEUE_FULL",
          "the queue holds " + depth + " tasks, its capacity; retry later",
          Duration.ofSeconds(30));
    }
  }

  private static ApiException tooMany(String reason, String message, Duration retryAfter) {
    return new ApiException(
        429, reason, message, Map.of("retry_after_seconds", seconds(retryAfter)));
  }

  static long seconds(Duration d) {
    return Math.max(1, (d.toMillis() + 999) / 1000);
  }
}
