package dev.tween.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.bench.ImageMetrics;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * Compositing band by band is a cache optimisation only: the frame is the same to the byte. Frames
 * are I420; an odd output size is rendered one pixel larger and cropped.
 */
class TweenerTest {
  @Test
  void bandsGiveTheSameFrameAsTheWholeFrameAtOnce() throws Exception {
    List<BufferedImage> keys =
        VideoFrames.read(
            Path.of("/usr/share/doc/opencv-doc/examples/data/Megamind.avi"), List.of(110, 114));
    try (PointerScope scope = new PointerScope();
        MotionField field =
            MotionField.analyze(
                Frames.coverFit(Frames.toMat(keys.get(0)), 640, 360),
                Frames.coverFit(Frames.toMat(keys.get(1)), 640, 360));
        Tweener banded = new Tweener(field, 32);
        Tweener whole = new Tweener(field, 360)) {
      assertThat(field.dissolve).isFalse();
      Variant drift = Variant.forSample(7, 1, 640, 360);
      for (double s : new double[] {0, 0.3, 0.5, 1}) {
        assertThat(bytes(banded.render(s, drift))).isEqualTo(bytes(whole.render(s, drift)));
      }
    }
  }

  @Test
  void anOddSizeIsRenderedAndCroppedToThatSize() throws Exception {
    List<BufferedImage> keys =
        VideoFrames.read(
            Path.of("/usr/share/doc/opencv-doc/examples/data/Megamind.avi"), List.of(110, 114));
    BufferedImage mid = new TweenEngine().frame(keys.get(0), keys.get(1), 321, 181, 0.5);
    BufferedImage first = new TweenEngine().frame(keys.get(0), keys.get(1), 321, 181, 0);
    assertThat(mid.getWidth()).isEqualTo(321);
    assertThat(mid.getHeight()).isEqualTo(181);
    // Time 0 is keyframe A through I420 and back: close to A fitted to the same size.
    try (PointerScope scope = new PointerScope()) {
      BufferedImage a = Frames.toImage(Frames.coverFit(Frames.toMat(keys.get(0)), 322, 182));
      assertThat(ImageMetrics.psnrRgb(first, a.getSubimage(0, 0, 321, 181))).isGreaterThan(30);
    }
  }

  private static byte[] bytes(Mat m) {
    byte[] b = new byte[(int) (m.total() * m.elemSize())];
    ((ByteBuffer) m.createBuffer()).get(b);
    return b;
  }
}
