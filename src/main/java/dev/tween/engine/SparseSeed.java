package dev.tween.engine;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.opencv.global.opencv_ximgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_ximgproc.EdgeAwareInterpolator;

/**
 * A dense first guess of the flow from sparse feature matches, interpolated along image edges
 * (EpicFlow's idea): descriptors match at any displacement, so an object that moves farther than
 * the flow's coarse-to-fine search can follow still gets its motion.
 */
final class SparseSeed {
  private SparseSeed() {}

  static final int MIN_MATCHES = 20;

  /** Matches (A x, y, B x, y) with B's end moved into A-aligned B by the homography's inverse. */
  static List<float[]> aligned(List<float[]> matches, double[] hom) {
    double[] inv = Homography.invert(hom);
    List<float[]> out = new ArrayList<>(matches.size());
    for (float[] m : matches) {
      double[] p = Homography.apply(inv, m[2], m[3]);
      out.add(new float[] {m[0], m[1], (float) p[0], (float) p[1]});
    }
    return out;
  }

  /**
   * Fills {@code ab} (A → B) and {@code ba} with the seed; leaves either be when it has too few
   * matches.
   */
  static void fill(Mat ga, Mat gb, List<float[]> matches, Mat ab, Mat ba) {
    double k = Math.min(1.0, (double) SIDE / Math.max(ga.cols(), ga.rows()));
    Size small = new Size((int) Math.round(ga.cols() * k), (int) Math.round(ga.rows() * k));
    List<float[]> pairs = inside(matches, k, small.width(), small.height());
    if (pairs.size() < MIN_MATCHES) return;
    try (Mat sa = new Mat();
        Mat sb = new Mat()) {
      resize(ga, sa, small, 0, 0, INTER_AREA);
      resize(gb, sb, small, 0, 0, INTER_AREA);
      interpolate(sa, sb, distinctStarts(pairs, k, 0), k, false, ab);
      interpolate(sb, sa, distinctStarts(pairs, k, 2), k, true, ba);
    }
  }

  /**
   * The matches whose two ends, scaled by {@code k}, both lie inside a {@code w × h} frame. The
   * interpolator indexes an image by each start point unchecked, and an end moved into aligned B
   * can fall outside it: such a point wrote outside the interpolator's buffer and corrupted the
   * heap.
   */
  static List<float[]> inside(List<float[]> matches, double k, int w, int h) {
    List<float[]> out = new ArrayList<>(matches.size());
    for (float[] m : matches) {
      boolean in = true;
      for (int e = 0; e < 4; e += 2) {
        double x = m[e] * k;
        double y = m[e + 1] * k;
        in &= x >= 0 && y >= 0 && x <= w - 1 && y <= h - 1; // false for NaN too
      }
      if (in) out.add(m);
    }
    return out;
  }

  /**
   * The matches whose start (A's end, or B's when {@code end} is 2), scaled by {@code k}, rounds to
   * a pixel no earlier match starts at. The interpolator labels each start pixel with one match, so
   * a second match there is never reached by the others.
   */
  static List<float[]> distinctStarts(List<float[]> matches, double k, int end) {
    Set<Long> seen = new HashSet<>();
    List<float[]> out = new ArrayList<>(matches.size());
    for (float[] m : matches) {
      // As the interpolator rounds the float coordinates it is handed.
      long x = (int) ((float) (m[end] * k) + 0.5f);
      long y = (int) ((float) (m[end + 1] * k) + 0.5f);
      if (seen.add(y << 32 | x)) out.add(m);
    }
    return out;
  }

  /** How many nearest matches each match's local affine fit uses (the interpolator's default). */
  static final int NEIGHBOURS = 128;

  /** Longest side the interpolation runs at; the field is scaled up to the frame after. */
  static final int SIDE = 640;

  /**
   * Interpolates the matches (scaled by {@code k} to the downscaled frames {@code from} and {@code
   * to}) into {@code out}, at the full size it already has.
   */
  private static void interpolate(
      Mat from, Mat to, List<float[]> pairs, double k, boolean swap, Mat out) {
    int n = pairs.size();
    if (n < MIN_MATCHES) return;
    try (Mat src = new Mat(n, 1, CV_32FC2);
        Mat dst = new Mat(n, 1, CV_32FC2);
        Mat flow = new Mat();
        EdgeAwareInterpolator epic = opencv_ximgproc.createEdgeAwareInterpolator()) {
      // Each match's affine fit reads its K nearest matches, and the interpolator does not check
      // that there are K: with fewer it read outside its match array (flow that changed from run
      // to run, NaNs). Every match reached is one of the distinct start pixels.
      epic.setK(Math.min(NEIGHBOURS, n));
      FloatBuffer s = src.createBuffer();
      FloatBuffer d = dst.createBuffer();
      int a = swap ? 2 : 0;
      int b = swap ? 0 : 2;
      for (int i = 0; i < n; i++) {
        float[] p = pairs.get(i);
        s.put(2 * i, (float) (p[a] * k)).put(2 * i + 1, (float) (p[a + 1] * k));
        d.put(2 * i, (float) (p[b] * k)).put(2 * i + 1, (float) (p[b + 1] * k));
      }
      epic.interpolate(from, src, to, dst, flow);
      resize(flow, out, out.size(), 0, 0, INTER_LINEAR);
      out.convertTo(out, -1, 1 / k, 0);
      contain(out);
    }
  }

  /**
   * Makes every vector finite and ending inside the frame: DIS reads its first guess unchecked, and
   * an interpolation far from any match can overshoot (DIS crashed on one such field).
   */
  static void contain(Mat flow) {
    int w = flow.cols();
    int h = flow.rows();
    FloatBuffer b = flow.createBuffer();
    float[] v = new float[2 * w * h];
    b.get(v);
    for (int y = 0, i = 0; y < h; y++) {
      for (int x = 0; x < w; x++, i += 2) {
        float fx = v[i];
        float fy = v[i + 1];
        v[i] = Float.isFinite(fx) ? Math.clamp(fx, -x, w - 1 - x) : 0;
        v[i + 1] = Float.isFinite(fy) ? Math.clamp(fy, -y, h - 1 - y) : 0;
      }
    }
    b.rewind();
    b.put(v);
  }
}
