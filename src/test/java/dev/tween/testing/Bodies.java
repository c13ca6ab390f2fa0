package dev.tween.testing;

/** Submit bodies for tests. */
public final class Bodies {
  private Bodies() {}

  /** A valid 4 s submit with two small inline PNGs, seed 7. */
  public static String simple(int samples) {
    return prompted("pan", samples);
  }

  /** The same with its own prompt, so that a fake upstream can tell tasks apart. */
  public static String prompted(String prompt, int samples) {
    return """
        {"image": "%s", "last_frame_image": "%s", "prompt": "%s", "sample_count": %d, "seed": 7, "duration": 4}"""
        .formatted(
            Images.dataUri(Images.png(64, 36, 0)),
            Images.dataUri(Images.png(64, 36, 8)),
            prompt,
            samples);
  }
}
