package dev.tween.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

class SparseSeedTest {
  static final Path MEGAMIND = Path.of("/usr/share/doc/opencv-doc/examples/data/Megamind.avi");

  /**
   * Fewer matches than the interpolator's neighbourhood (128) is the common case on real footage.
   * Told to use 128 neighbours anyway, the interpolator read past its match array: the seed changed
   * from run to run and fell far short of the motion.
   */
  @Test
  void aFewMatchesGiveTheSameSeedEveryTimeAndItFollowsTheMotion() throws Exception {
    BufferedImage frame = VideoFrames.read(MEGAMIND, List.of(30)).getFirst();
    Random random = new Random(7);
    List<float[]> matches = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      float x = 40 + random.nextInt(600);
      float y = 40 + random.nextInt(420);
      // A shift of (6, 4) as feature matches see it: to within half a pixel.
      matches.add(
          new float[] {x, y, x + 6 + random.nextFloat() - 0.5f, y + 4 + random.nextFloat() - 0.5f});
    }
    float[] first = seed(frame, matches);
    float[] again = seed(frame, matches);
    assertThat(Arrays.equals(again, first)).as("the same seed twice").isTrue();
    double sx = 0;
    double sy = 0;
    int notFinite = 0;
    for (int i = 0; i < first.length; i += 2) {
      if (!Float.isFinite(first[i]) || !Float.isFinite(first[i + 1])) notFinite++;
      sx += first[i];
      sy += first[i + 1];
    }
    assertThat(notFinite).isZero();
    int n = first.length / 2;
    assertThat(sx / n).as("mean x").isCloseTo(6, offset(0.5));
    assertThat(sy / n).as("mean y").isCloseTo(4, offset(0.5));
  }

  @Test
  void onlyOneMatchPerStartPixelIsKept() {
    List<float[]> matches =
        List.of(
            new float[] {10, 10, 50, 50},
            new float[] {10.4f, 9.6f, 60, 60}, // rounds to A's (10, 10) at k = 1
            new float[] {11, 10, 50.2f, 50.2f}); // rounds to B's (50, 50)
    assertThat(SparseSeed.distinctStarts(matches, 1, 0))
        .containsExactly(matches.get(0), matches.get(2));
    assertThat(SparseSeed.distinctStarts(matches, 1, 2))
        .containsExactly(matches.get(0), matches.get(1));
  }

  /** The A → B seed for {@code frame} against itself (the matches alone carry the motion). */
  private static float[] seed(BufferedImage frame, List<float[]> matches) {
    try (PointerScope scope = new PointerScope();
        Mat bgr = Frames.toMat(frame);
        Mat gray = MotionField.gray(bgr);
        Mat ab = new Mat(gray.rows(), gray.cols(), CV_32FC2, new Scalar(0, 0, 0, 0));
        Mat ba = new Mat(gray.rows(), gray.cols(), CV_32FC2, new Scalar(0, 0, 0, 0))) {
      SparseSeed.fill(gray, gray, matches, ab, ba);
      return MotionField.floats(ab);
    }
  }

  @Test
  void onlyMatchesWithBothEndsInsideTheFrameAreInterpolated() {
    List<float[]> matches =
        List.of(
            new float[] {10, 10, 20, 20},
            new float[] {10, 10, -3, 20}, // B's end left of the frame
            new float[] {10, 10, 20, 200}, // below it (after scaling by 0.5: 100 > 49)
            new float[] {Float.NaN, 10, 20, 20},
            new float[] {198, 98, 0, 0}); // exactly on the last pixel after scaling
    assertThat(SparseSeed.inside(matches, 0.5, 100, 50))
        .containsExactly(matches.get(0), matches.get(4));
  }

  @Test
  void aSeedIsMadeFiniteAndEndsInsideTheFrame() {
    try (PointerScope scope = new PointerScope();
        Mat flow = new Mat(2, 3, CV_32FC2)) {
      float[] v = {Float.NaN, 1, 500, -500, Float.POSITIVE_INFINITY, 0, -4, 2, 1, 0.5f, 0, 0};
      ((FloatBuffer) flow.createBuffer()).put(v);
      SparseSeed.contain(flow);
      float[] got = new float[12];
      ((FloatBuffer) flow.createBuffer()).get(got);
      // (0,0): NaN → 0, 1 stays; (1,0): 500 → 1 (x ends at 2), −500 → 0; (2,0): ∞ → 0;
      // (0,1): −4 → 0, 2 → 0 (y ends at 1); (1,1) and (2,1) inside already.
      assertThat(got).containsExactly(0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0);
    }
  }
}
