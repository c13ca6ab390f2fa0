package dev.tween.generate;

/**
 * The outcome of a successful generation.
 *
 * @param samples number of sample files written and delivered (1 .. requested); the count to charge
 * @param filtered samples upstream made but withheld (safety filters, refusals); not charged by
 *     Google
 * @param note a human-readable remark carried into the task's {@code reason}, or empty
 */
public record GenerationResult(int samples, int filtered, String note) {
  public GenerationResult {
    if (samples < 1) throw new IllegalArgumentException("a result needs at least one sample");
    if (filtered < 0) throw new IllegalArgumentException("filtered " + filtered);
    if (note == null) note = "";
  }

  /** Every requested sample delivered, or a generator that never filters. */
  public GenerationResult(int samples, String note) {
    this(samples, 0, note);
  }

  public static GenerationResult of(int samples) {
    return new GenerationResult(samples, "");
  }
}
