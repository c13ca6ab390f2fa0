package dev.tween.image;

import java.util.Locale;

final class Limits {
  private Limits() {}

  static void check(long width, long height, long maxPixels) throws ImageDecodeException {
    if (width * height > maxPixels) {
      throw new ImageDecodeException(
          String.format(
              Locale.ROOT,
              "is %dx%d pixels (%.1f megapixels); at most %.0f megapixels are accepted",
              width,
              height,
              width * height / 1e6,
              maxPixels / 1e6));
    }
  }
}
