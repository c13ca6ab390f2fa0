package dev.tween.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** Compositing band by band is a cache optimisation only: the frame is the same to the byte. */
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

  private static byte[] bytes(Mat m) {
    byte[] b = new byte[(int) (m.total() * m.elemSize())];
    ((ByteBuffer) m.createBuffer()).get(b);
    return b;
  }
}
