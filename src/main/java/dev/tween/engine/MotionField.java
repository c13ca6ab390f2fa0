package dev.tween.engine;

import static org.bytedeco.opencv.global.opencv_calib3d.RANSAC;
import static org.bytedeco.opencv.global.opencv_calib3d.findHomography;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.NORM_HAMMING;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Optional;
import org.bytedeco.opencv.opencv_core.DMatchVector;
import org.bytedeco.opencv.opencv_core.KeyPointVector;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_features2d.BFMatcher;
import org.bytedeco.opencv.opencv_features2d.ORB;
import org.bytedeco.opencv.opencv_video.DISOpticalFlow;

/**
 * The motion between two fitted frames, computed once per clip: a global homography (ORB + RANSAC),
 * dense residual flow both ways (DIS), and per-pixel visibility from forward-backward consistency
 * and frame bounds. When the frames do not correspond (a scene cut), {@link #dissolve()} is true.
 */
final class MotionField implements AutoCloseable {
  /** Below this share of consistently matched pixels the frames are treated as unrelated. */
  static final double MIN_CONSISTENT = 0.45;
  private static final int FEATURE_WIDTH = 640;

  final int width;
  final int height;
  final Mat first;
  final Mat last;
  /** A → B homography, row-major 3×3. */
  final double[] homography;
  /** Residual flow in A's frame: A → B-aligned-to-A, and back; float (dx,dy) per pixel. */
  final float[] flowAB;
  final float[] flowBA;
  final Mat flowABMat;
  final Mat flowBAMat;
  /** Visibility in [0,1] of A's pixels in B, and of aligned-B's pixels in A. */
  final Mat visA;
  final Mat visB;
  final double consistentShare;
  final boolean dissolve;

  private MotionField(Mat first, Mat last, double[] homography, Mat flowAB, Mat flowBA, Mat visA, Mat visB,
      double consistentShare, boolean dissolve) {
    this.width = first.cols();
    this.height = first.rows();
    this.first = first;
    this.last = last;
    this.homography = homography;
    this.flowABMat = flowAB;
    this.flowBAMat = flowBA;
    this.flowAB = floats(flowAB);
    this.flowBA = floats(flowBA);
    this.visA = visA;
    this.visB = visB;
    this.consistentShare = consistentShare;
    this.dissolve = dissolve;
  }

  /** Analyses two BGR frames of equal size (ownership of both passes to the field). */
  static MotionField analyze(Mat first, Mat last) {
    int w = first.cols();
    int h = first.rows();
    try (Mat ga = gray(first); Mat gb = gray(last)) {
      double[] hom = homography(ga, gb).orElse(Homography.IDENTITY);
      Mat alignedB = new Mat();
      try (Mat hm = Homography.toMat(hom)) {
        warpPerspective(gb, alignedB, hm, new Size(w, h), INTER_LINEAR | WARP_INVERSE_MAP, BORDER_REPLICATE, new Scalar());
      }
      Mat fab = new Mat(h, w, CV_32FC2);
      Mat fba = new Mat(h, w, CV_32FC2);
      try (DISOpticalFlow dis = DISOpticalFlow.create(DISOpticalFlow.PRESET_MEDIUM)) {
        dis.calc(ga, alignedB, fab);
        dis.calc(alignedB, ga, fba);
      }
      alignedB.close();
      float[] ab = floats(fab);
      float[] ba = floats(fba);
      float[] va = new float[w * h];
      float[] vb = new float[w * h];
      double share = visibility(ab, ba, w, h, Homography.IDENTITY, va);
      visibility(ba, ab, w, h, hom, vb);
      boolean dissolve = share < MIN_CONSISTENT;
      return new MotionField(first, last, hom, fab, fba, blurred(va, w, h), blurred(vb, w, h), share, dissolve);
    }
  }

  /**
   * Marks pixel x visible when its flow leads inside the frame and the flow back returns near x.
   * For aligned-B pixels, {@code toOriginal} maps them to B's own frame, which must contain them.
   * Returns the share of in-frame pixels that are consistent.
   */
  private static double visibility(float[] fwd, float[] back, int w, int h, double[] toOriginal, float[] out) {
    long inFrame = 0;
    long consistent = 0;
    for (int y = 0, i = 0; y < h; y++) {
      for (int x = 0; x < w; x++, i++) {
        if (toOriginal != Homography.IDENTITY && !Homography.inside(toOriginal, x, y, w, h)) continue;
        float fx = fwd[2 * i];
        float fy = fwd[2 * i + 1];
        float tx = x + fx;
        float ty = y + fy;
        if (tx < 0 || ty < 0 || tx > w - 1 || ty > h - 1) continue;
        inFrame++;
        int j = Math.round(ty) * w + Math.round(tx);
        float ex = fx + back[2 * j];
        float ey = fy + back[2 * j + 1];
        double err = Math.sqrt(ex * ex + ey * ey);
        double tolerance = 1.0 + 0.05 * Math.sqrt(fx * fx + fy * fy);
        if (err <= tolerance) {
          consistent++;
          out[i] = 1f;
        } else {
          out[i] = (float) Math.max(0, 1 - (err - tolerance) / (2 * tolerance));
        }
      }
    }
    return inFrame == 0 ? 0 : (double) consistent / inFrame;
  }

  private static Optional<double[]> homography(Mat ga, Mat gb) {
    double scale = Math.min(1.0, (double) FEATURE_WIDTH / ga.cols());
    try (Mat sa = new Mat(); Mat sb = new Mat(); ORB orb = ORB.create(3000, 1.2f, 8, 31, 0, 2, ORB.HARRIS_SCORE, 31, 10);
        KeyPointVector ka = new KeyPointVector(); KeyPointVector kb = new KeyPointVector();
        Mat da = new Mat(); Mat db = new Mat(); DMatchVector matches = new DMatchVector();
        BFMatcher matcher = new BFMatcher(NORM_HAMMING, true)) {
      Size small = new Size((int) Math.round(ga.cols() * scale), (int) Math.round(ga.rows() * scale));
      resize(ga, sa, small, 0, 0, INTER_AREA);
      resize(gb, sb, small, 0, 0, INTER_AREA);
      orb.detectAndCompute(sa, new Mat(), ka, da);
      orb.detectAndCompute(sb, new Mat(), kb, db);
      if (da.rows() < 12 || db.rows() < 12) return Optional.empty();
      matcher.match(da, db, matches);
      int n = (int) matches.size();
      if (n < 12) return Optional.empty();
      try (Mat src = new Mat(n, 1, CV_32FC2); Mat dst = new Mat(n, 1, CV_32FC2); Mat mask = new Mat()) {
        FloatBuffer s = src.createBuffer();
        FloatBuffer d = dst.createBuffer();
        for (int i = 0; i < n; i++) {
          var m = matches.get(i);
          var pa = ka.get(m.queryIdx()).pt();
          var pb = kb.get(m.trainIdx()).pt();
          s.put(i * 2, (float) (pa.x() / scale)).put(i * 2 + 1, (float) (pa.y() / scale));
          d.put(i * 2, (float) (pb.x() / scale)).put(i * 2 + 1, (float) (pb.y() / scale));
        }
        try (Mat hm = findHomography(src, dst, RANSAC, 3.0, mask, 2000, 0.995)) {
          if (hm == null || hm.empty()) return Optional.empty();
          ByteBuffer inl = mask.createBuffer();
          int inliers = 0;
          for (int i = 0; i < n; i++) if (inl.get(i) != 0) inliers++;
          if (inliers < 15 || inliers < 0.15 * n) return Optional.empty();
          double[] hmv = new double[9];
          DoubleBuffer hb = hm.createBuffer();
          hb.get(hmv);
          return Homography.plausible(hmv, ga.cols(), ga.rows()) ? Optional.of(hmv) : Optional.empty();
        }
      }
    }
  }

  static Mat gray(Mat bgr) {
    Mat g = new Mat();
    cvtColor(bgr, g, COLOR_BGR2GRAY);
    return g;
  }

  private static Mat blurred(float[] v, int w, int h) {
    Mat m = new Mat(h, w, CV_32FC1);
    ((FloatBuffer) m.createBuffer()).put(v);
    GaussianBlur(m, m, new Size(7, 7), 0);
    return m;
  }

  static float[] floats(Mat m) {
    FloatBuffer b = m.createBuffer();
    float[] out = new float[b.remaining()];
    b.get(out);
    return out;
  }

  @Override
  public void close() {
    first.close();
    last.close();
    flowABMat.close();
    flowBAMat.close();
    visA.close();
    visB.close();
  }
}
