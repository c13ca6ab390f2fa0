package dev.tween.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.bench.ImageMetrics;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The middle frame of real triplets (k, k+d, k+2d) against the true one: well above the crossfade
 * where the motion is tracked, and close to it where the true middle frame is far nearer one
 * keyframe than the other (motion not uniform in time), which no warp to the middle can predict.
 */
class MiddleFrameTest {
  static final Path DATA = Path.of("/usr/share/doc/opencv-doc/examples/data");
  final TweenEngine engine = new TweenEngine();

  @ParameterizedTest(name = "{0} k={1} d={2}: engine ≥ crossfade {3} dB")
  @CsvSource({
    "Megamind.avi, 110, 2, 3.0",
    "Megamind.avi, 215, 8, -0.5",
    "Megamind_bugy.avi, 240, 8, -0.5"
  })
  void middleFrameAgainstTheCrossfade(String clip, int k, int d, double margin) throws Exception {
    List<BufferedImage> f = VideoFrames.read(DATA.resolve(clip), List.of(k, k + d, k + 2 * d));
    BufferedImage first = f.get(0);
    BufferedImage truth = f.get(1);
    BufferedImage last = f.get(2);
    int w = first.getWidth();
    int h = first.getHeight();
    assertThat(engine.analysis(first, last, w, h).dissolve()).isFalse();
    double mine = ImageMetrics.psnrRgb(engine.frame(first, last, w, h, 0.5), truth);
    double fade = ImageMetrics.psnrRgb(TweenEngine.crossfade(first, last, 0.5), truth);
    assertThat(mine - fade)
        .as("engine %.2f dB, crossfade %.2f dB", mine, fade)
        .isGreaterThan(margin);
  }
}
