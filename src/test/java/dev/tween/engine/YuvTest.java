package dev.tween.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import dev.tween.bench.ImageMetrics;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** The engine's 4:2:0 form: BT.601 limited range, planes where the encoder expects them. */
class YuvTest {
  @Test
  void flatColoursTakeTheirBt601LimitedRangeValues() {
    // BGR → Y, U, V (BT.601, limited range): what FFmpeg's converter gave before.
    int[][] cases = {
      {255, 255, 255, 235, 128, 128},
      {0, 0, 0, 16, 128, 128},
      {0, 0, 255, 81, 90, 240},
      {255, 0, 0, 41, 240, 110},
      {0, 255, 0, 145, 54, 34}
    };
    for (int[] c : cases) {
      try (PointerScope scope = new PointerScope();
          Mat bgr = new Mat(4, 6, CV_8UC3, new Scalar(c[0], c[1], c[2], 0));
          Mat i420 = Yuv.fromBgr(bgr)) {
        byte[] b = bytes(i420);
        assertThat(b).hasSize(6 * 4 * 3 / 2);
        // Y plane: 24 bytes, then U: 6, then V: 6.
        assertThat(b[0] & 0xff)
            .as("Y of %s", List.of(c[0], c[1], c[2]))
            .isBetween(c[3] - 1, c[3] + 1);
        assertThat(b[24] & 0xff)
            .as("U of %s", List.of(c[0], c[1], c[2]))
            .isBetween(c[4] - 1, c[4] + 1);
        assertThat(b[30] & 0xff)
            .as("V of %s", List.of(c[0], c[1], c[2]))
            .isBetween(c[5] - 1, c[5] + 1);
        try (Mat back = Yuv.toBgr(i420)) {
          byte[] px = bytes(back);
          for (int k = 0; k < 3; k++) assertThat(px[k] & 0xff).isBetween(c[k] - 2, c[k] + 2);
        }
      }
    }
  }

  @Test
  void aRealFrameSurvivesTheRoundTrip() throws Exception {
    BufferedImage frame =
        VideoFrames.read(
                Path.of("/usr/share/doc/opencv-doc/examples/data/Megamind.avi"), List.of(110))
            .getFirst();
    try (PointerScope scope = new PointerScope();
        Mat bgr = Frames.toMat(frame);
        Mat i420 = Yuv.fromBgr(bgr);
        Mat back = Yuv.toBgr(i420)) {
      // Only chroma detail finer than 2×2 pixels and rounding are lost.
      assertThat(ImageMetrics.psnrRgb(Frames.toImage(back), frame)).isGreaterThan(38);
    }
  }

  @Test
  void planesAreViewsOfTheirPartOfTheFrame() {
    try (PointerScope scope = new PointerScope();
        Mat i420 = new Mat(6, 4, org.bytedeco.opencv.global.opencv_core.CV_8UC1, new Scalar(0));
        Mat v = Yuv.plane(i420, 2)) {
      assertThat(v.rows()).isEqualTo(2);
      assertThat(v.cols()).isEqualTo(2);
      v.put(new Scalar(7));
      byte[] b = bytes(i420);
      // 16 bytes of Y and 4 of U come first; V is the last 4.
      for (int i = 0; i < 24; i++) assertThat(b[i]).isEqualTo((byte) (i >= 20 ? 7 : 0));
    }
  }

  @Test
  void oddSizesAreRefused() {
    try (PointerScope scope = new PointerScope();
        Mat bgr = new Mat(5, 6, CV_8UC3, new Scalar(0))) {
      assertThatThrownBy(() -> Yuv.fromBgr(bgr))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("6x5");
    }
  }

  static byte[] bytes(Mat m) {
    byte[] b = new byte[(int) (m.total() * m.elemSize())];
    ((ByteBuffer) m.createBuffer()).get(b);
    return b;
  }
}
