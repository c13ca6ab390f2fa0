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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Compositing band by band is a cache optimisation only: the frame is the same to the byte. */
class TweenerTest {
  static final Path MEGAMIND = Path.of("/usr/share/doc/opencv-doc/examples/data/Megamind.avi");

  @ParameterizedTest(name = "{0}x{1}, bands of {2} rows")
  @CsvSource({
    "640, 360, 64", // a control grid 8× coarser than the output, the last band shorter
    "640, 360, 32",
    "320, 240, 64" // a full grid
  })
  void bandsGiveTheSameFrameAsTheWholeFrameAtOnce(int w, int h, int band) throws Exception {
    List<BufferedImage> keys = VideoFrames.read(MEGAMIND, List.of(110, 114));
    try (PointerScope scope = new PointerScope();
        MotionField field =
            MotionField.analyze(
                Frames.coverFit(Frames.toMat(keys.get(0)), w, h),
                Frames.coverFit(Frames.toMat(keys.get(1)), w, h));
        Tweener banded = new Tweener(field, band);
        Tweener whole = new Tweener(field, h)) {
      assertThat(field.dissolve).isFalse();
      Variant drift = Variant.forSample(7, 1, w, h);
      for (double s : new double[] {0, 0.3, 0.5, 1}) {
        assertThat(bytes(banded.render(s, drift))).isEqualTo(bytes(whole.render(s, drift)));
      }
    }
  }

  @Test
  void anOddSizedFrameIsRenderedAtThatSize() throws Exception {
    List<BufferedImage> keys = VideoFrames.read(MEGAMIND, List.of(110, 114));
    BufferedImage odd = new TweenEngine().frame(keys.get(0), keys.get(1), 321, 241, 0.5);
    assertThat(odd.getWidth()).isEqualTo(321);
    assertThat(odd.getHeight()).isEqualTo(241);
    // Much the same picture as at the even size next to it, not garbage.
    BufferedImage even = new TweenEngine().frame(keys.get(0), keys.get(1), 320, 240, 0.5);
    BufferedImage corner = new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR);
    corner.createGraphics().drawImage(odd, 0, 0, null);
    assertThat(ImageMetrics.psnrRgb(corner, even)).isGreaterThan(25);
  }

  private static byte[] bytes(Mat m) {
    byte[] b = new byte[(int) (m.total() * m.elemSize())];
    ((ByteBuffer) m.createBuffer()).get(b);
    return b;
  }
}
