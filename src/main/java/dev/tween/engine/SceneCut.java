package dev.tween.engine;

import java.util.List;

/**
 * Do two frames show the same scene? Counted on feature matches rather than on a global motion
 * model or dense-flow consistency, so a large local motion (a hand carrying a cup across a still
 * room) does not look like a cut: a match is verified when nearby matches move the same way (motion
 * is locally smooth on real scenes; chance matches between unrelated shots point anywhere), and the
 * score is the share of textured grid cells of the first frame holding a verified match.
 */
final class SceneCut {
  /**
   * Below this share of textured cells with a verified match the frames are treated as unrelated.
   */
  static final double MIN_COVERAGE = 0.2;

  /** Fewer keypoints than this in the first frame: too little texture to judge by features. */
  static final int MIN_KEYPOINTS = 60;

  private static final int COLS = 8;
  private static final int ROWS = 6;

  private SceneCut() {}

  /**
   * @param pairs matches {xA, yA, xB, yB} in full-frame pixels
   * @param keypointsA all keypoints of the first frame {x, y}
   * @return the verified coverage in [0,1], or NaN when the first frame has too little texture
   */
  static double coverage(List<float[]> pairs, List<float[]> keypointsA, int w, int h) {
    if (keypointsA.size() < MIN_KEYPOINTS) return Double.NaN;
    int[] texture = new int[COLS * ROWS];
    for (float[] k : keypointsA) texture[cell(k[0], k[1], w, h)]++;
    boolean[] verified = new boolean[COLS * ROWS];
    double radius = 0.08 * Math.hypot(w, h);
    int n = pairs.size();
    for (int i = 0; i < n; i++) {
      float[] p = pairs.get(i);
      float dx = p[2] - p[0];
      float dy = p[3] - p[1];
      double tolerance = Math.max(4, 0.15 * Math.hypot(dx, dy));
      int agreeing = 0;
      for (int j = 0; j < n && agreeing < 2; j++) {
        if (j == i) continue;
        float[] q = pairs.get(j);
        if (Math.abs(q[0] - p[0]) > radius || Math.abs(q[1] - p[1]) > radius) continue;
        if (Math.hypot(q[2] - q[0] - dx, q[3] - q[1] - dy) <= tolerance) agreeing++;
      }
      if (agreeing >= 2) verified[cell(p[0], p[1], w, h)] = true;
    }
    int textured = 0;
    int covered = 0;
    for (int c = 0; c < texture.length; c++) {
      if (texture[c] < 3) continue;
      textured++;
      if (verified[c]) covered++;
    }
    return textured == 0 ? Double.NaN : (double) covered / textured;
  }

  private static int cell(float x, float y, int w, int h) {
    int cx = Math.clamp((int) (x * COLS / w), 0, COLS - 1);
    int cy = Math.clamp((int) (y * ROWS / h), 0, ROWS - 1);
    return cy * COLS + cx;
  }
}
