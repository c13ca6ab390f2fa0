package dev.tween.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class SparseSeedTest {
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
