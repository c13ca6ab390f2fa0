package dev.tween.engine;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC1;
import static org.bytedeco.opencv.global.opencv_imgproc.getPerspectiveTransform;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;

/** Small 3×3 projective-transform helpers (row-major {@code double[9]}). */
final class Homography {
  static final double[] IDENTITY = {1, 0, 0, 0, 1, 0, 0, 0, 1};

  private Homography() {}

  static Mat toMat(double[] h) {
    Mat m = new Mat(3, 3, CV_64FC1);
    ((DoubleBuffer) m.createBuffer()).put(h);
    return m;
  }

  static double[] multiply(double[] a, double[] b) {
    double[] c = new double[9];
    for (int r = 0; r < 3; r++) {
      for (int k = 0; k < 3; k++) {
        double s = 0;
        for (int j = 0; j < 3; j++) s += a[r * 3 + j] * b[j * 3 + k];
        c[r * 3 + k] = s;
      }
    }
    return c;
  }

  static double[] invert(double[] m) {
    double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
    double A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
    double det = a * A + b * B + c * C;
    if (Math.abs(det) < 1e-12) throw new ArithmeticException("singular homography");
    return new double[] {
      A / det, -(b * i - c * h) / det, (b * f - c * e) / det,
      B / det, (a * i - c * g) / det, -(a * f - c * d) / det,
      C / det, -(a * h - b * g) / det, (a * e - b * d) / det
    };
  }

  /** Applies {@code h} to (x, y); returns {x', y'}. */
  static double[] apply(double[] h, double x, double y) {
    double w = h[6] * x + h[7] * y + h[8];
    return new double[] {(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w};
  }

  static boolean inside(double[] h, double x, double y, int width, int height) {
    double w = h[6] * x + h[7] * y + h[8];
    if (w <= 0) return false;
    double px = (h[0] * x + h[1] * y + h[2]) / w;
    double py = (h[3] * x + h[4] * y + h[5]) / w;
    return px >= 0 && py >= 0 && px <= width - 1 && py <= height - 1;
  }

  /** Rejects degenerate fits: flipped, wildly scaled or strongly perspective transforms. */
  static boolean plausible(double[] h, int width, int height) {
    double det = h[0] * h[4] - h[1] * h[3];
    if (det < 0.25 || det > 4) return false;
    double[][] corners = {{0, 0}, {width, 0}, {width, height}, {0, height}};
    for (double[] c : corners) {
      double w = h[6] * c[0] + h[7] * c[1] + h[8];
      if (w < 0.5 || w > 2) return false;
    }
    return true;
  }

  /**
   * The transform at progress {@code s} along the way from identity to {@code h}, modelling a
   * camera whose view window moves linearly over the first frame's scene: the output corners come
   * from points of A that travel in straight lines from the corners to where {@code h⁻¹} puts them.
   */
  static double[] interpolate(double[] h, double s, int width, int height) {
    if (h == IDENTITY || s == 0) return IDENTITY;
    double[] inv = invert(h);
    double[][] corners = {{0, 0}, {width - 1, 0}, {width - 1, height - 1}, {0, height - 1}};
    try (Mat src = new Mat(4, 1, CV_32FC2);
        Mat dst = new Mat(4, 1, CV_32FC2)) {
      FloatBuffer sb = src.createBuffer();
      FloatBuffer db = dst.createBuffer();
      for (int i = 0; i < 4; i++) {
        double[] from = apply(inv, corners[i][0], corners[i][1]);
        sb.put(2 * i, (float) ((1 - s) * corners[i][0] + s * from[0]));
        sb.put(2 * i + 1, (float) ((1 - s) * corners[i][1] + s * from[1]));
        db.put(2 * i, (float) corners[i][0]).put(2 * i + 1, (float) corners[i][1]);
      }
      try (Mat m = getPerspectiveTransform(src, dst)) {
        double[] out = new double[9];
        ((DoubleBuffer) m.createBuffer()).get(out);
        return out;
      }
    }
  }

  /** Translation by (dx, dy) after scaling by {@code zoom} about the image centre. */
  static double[] drift(double dx, double dy, double zoom, int width, int height) {
    double cx = (width - 1) / 2.0;
    double cy = (height - 1) / 2.0;
    return new double[] {zoom, 0, cx - zoom * cx + dx, 0, zoom, cy - zoom * cy + dy, 0, 0, 1};
  }
}
