package dev.tween.google;

import java.util.Optional;

/** tween's seeds go up to 2^32 − 1; the SDK's seed field is a signed 32-bit integer. */
final class SdkSeed {
  private SdkSeed() {}

  /** The seed as sent: its low 31 bits. */
  static int of(long seed) {
    return (int) (seed & Integer.MAX_VALUE);
  }

  /** A note for the task when the seed sent is not the seed asked for. */
  static Optional<String> note(long seed) {
    if (seed <= Integer.MAX_VALUE) return Optional.empty();
    return Optional.of(
        "seed "
            + seed
            + " was sent as "
            + of(seed)
            + " (the SDK's seed field is a signed 32-bit integer)");
  }
}
