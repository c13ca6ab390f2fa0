package dev.tween.engine;

import static dev.tween.bench.SyntheticMotion.paste;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.bench.ImageMetrics;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An object moved by hand over a still background, farther than the dense flow's coarse-to-fine
 * search follows: the feature-match seed must carry its motion, so the middle frame shows the
 * object once, in the middle, and beats the crossfade's two half-transparent copies clearly.
 */
class LargeLocalMotionTest {
  static final Path MEGAMIND = Path.of("/usr/share/doc/opencv-doc/examples/data/Megamind.avi");

  @Test
  void anObjectMoved90PixelsIsTrackedNotDissolved() throws Exception {
    List<BufferedImage> frames = VideoFrames.read(MEGAMIND, List.of(30, 200));
    BufferedImage background = frames.get(0);
    BufferedImage object = frames.get(1).getSubimage(300, 150, 140, 140);
    BufferedImage first = paste(background, object, 150, 200);
    BufferedImage truth = paste(background, object, 195, 200);
    BufferedImage last = paste(background, object, 240, 200);
    int w = first.getWidth();
    int h = first.getHeight();
    TweenEngine engine = new TweenEngine();
    assertThat(engine.analysis(first, last, w, h).dissolve()).isFalse();
    double mine = ImageMetrics.psnrRgb(engine.frame(first, last, w, h, 0.5), truth);
    double fade = ImageMetrics.psnrRgb(TweenEngine.crossfade(first, last, 0.5), truth);
    assertThat(mine - fade).as("engine %.2f dB, crossfade %.2f dB", mine, fade).isGreaterThan(2);
  }
}
