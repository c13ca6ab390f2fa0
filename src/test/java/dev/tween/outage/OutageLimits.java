package dev.tween.outage;

/**
 * How long an answer during an outage may take in these tests. The product's limit is 2 s (README,
 * "Security": outages), measured by {@code ./tween bench outage}; a test on a loaded 2-core machine
 * only checks that nothing hangs: before the circuits, such requests waited about 10 s for the
 * pool.
 */
final class OutageLimits {
  private OutageLimits() {}

  static final long ANSWER_MS = 5_000;
}
