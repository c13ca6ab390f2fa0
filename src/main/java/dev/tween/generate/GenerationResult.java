package dev.tween.generate;

/**
 * The outcome of a successful generation.
 *
 * @param samples number of sample files written (1 .. requested); fewer than requested only when
 *     upstream removed some, in which case {@code note} says why
 * @param note a human-readable remark carried into the task's {@code reason}, or empty
 */
public record GenerationResult(int samples, String note) {
  public GenerationResult {
    if (samples < 1) throw new IllegalArgumentException("a result needs at least one sample");
    if (note == null) note = "";
  }

  public static GenerationResult of(int samples) {
    return new GenerationResult(samples, "");
  }
}
