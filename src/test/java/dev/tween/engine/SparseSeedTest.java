package dev.tween.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;

import java.nio.FloatBuffer;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class SparseSeedTest {
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
