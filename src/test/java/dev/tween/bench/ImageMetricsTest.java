package dev.tween.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;

class ImageMetricsTest {
  private static final int W = 32;
  private static final int H = 24;

  /** A grey frame whose level at (x, y) the function gives. */
  private static BufferedImage grey(IntBinaryOperator level) {
    var img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int v = level.applyAsInt(x, y);
        img.setRGB(x, y, v << 16 | v << 8 | v);
      }
    }
    return img;
  }

  @Test
  void eachTileTakesTheCandidateClosestToTheTruthThere() {
    BufferedImage truth = grey((x, y) -> 100);
    // Right on alternate 8x8 tiles, 20 levels off on the others.
    BufferedImage a = grey((x, y) -> (x / 8 + y / 8) % 2 == 0 ? 100 : 120);
    BufferedImage b = grey((x, y) -> (x / 8 + y / 8) % 2 == 1 ? 100 : 80);

    assertThat(ImageMetrics.psnrRgb(a, truth))
        .isCloseTo(10 * Math.log10(255 * 255 / 200.0), within(1e-9));
    assertThat(ImageMetrics.psnrRgbBestPerBlock(truth, 8, a, b)).isEqualTo(99);
  }

  @Test
  void itChoosesWholeTilesNotPixels() {
    BufferedImage truth = grey((x, y) -> 100);
    // Each is right on alternate columns: a per-pixel choice would be exact, a tile's is not.
    BufferedImage a = grey((x, y) -> x % 2 == 0 ? 100 : 110);
    BufferedImage b = grey((x, y) -> x % 2 == 1 ? 100 : 110);

    double half = 10 * Math.log10(255 * 255 / 50.0);
    assertThat(ImageMetrics.psnrRgbBestPerBlock(truth, 8, a, b)).isCloseTo(half, within(1e-9));
    assertThat(ImageMetrics.psnrRgbBestPerBlock(truth, 1, a, b)).isEqualTo(99);
  }

  @Test
  void oneCandidateScoresAsItself() {
    BufferedImage truth = grey((x, y) -> (x * 7 + y * 3) % 256);
    BufferedImage a = grey((x, y) -> (x * 7 + y * 3 + x % 5) % 256);

    assertThat(ImageMetrics.psnrRgbBestPerBlock(truth, 8, a))
        .isCloseTo(ImageMetrics.psnrRgb(a, truth), within(1e-9));
  }
}
