package dev.tween.engine;

import static org.bytedeco.opencv.global.opencv_calib3d.RANSAC;
import static org.bytedeco.opencv.global.opencv_calib3d.estimateAffinePartial2D;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.NORM_HAMMING;
import static org.bytedeco.opencv.global.opencv_core.getNumThreads;
import static org.bytedeco.opencv.global.opencv_core.setNumThreads;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.phaseCorrelate;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.opencv.opencv_core.DMatchVector;
import org.bytedeco.opencv.opencv_core.DMatchVectorVector;
import org.bytedeco.opencv.opencv_core.KeyPointVector;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_features2d.BFMatcher;
import org.bytedeco.opencv.opencv_features2d.ORB;
import org.bytedeco.opencv.opencv_video.DISOpticalFlow;

/**
 * The motion between two fitted frames, computed once per clip: a global similarity (pan, zoom,
 * roll; ORB + RANSAC, or a phase-correlated translation for low-texture frames), dense residual
 * flow both ways (DIS), and per-pixel visibility from forward-backward consistency and frame
 * bounds. When the frames do not correspond (a scene cut), {@link #dissolve} is true.
 */
final class MotionField implements AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MotionField.class);

  /** Below this share of consistently matched pixels the frames are treated as unrelated. */
  static final double MIN_CONSISTENT = 0.45;

  private static final int FEATURE_WIDTH = 640;

  /**
   * Sum of the absolute central differences (grey levels over two pixels) from which a pixel counts
   * as textured: only there does a wrong flow show, so only there is its consistency evidence.
   */
  private static final int TEXTURE = 16;

  /** Grey-level difference at which a match's confidence falls to 1/e. */
  private static final double PHOTOMETRIC_SIGMA = 16;

  final int width;
  final int height;
  final Mat first;
  final Mat last;

  /**
   * The A → B global motion as a row-major 3×3 matrix: a similarity or a translation, identity when
   * there is none.
   */
  final double[] homography;

  /** Residual flow in A's frame, A → B-aligned-to-A and back (CV_32FC2). */
  final Mat flowABMat;

  final Mat flowBAMat;

  /** Visibility in [0,1] of A's pixels in B, and of aligned-B's pixels in A. */
  final Mat visA;

  final Mat visB;

  /**
   * The cut test's score: verified feature coverage (or, for plain frames, consistent flow share).
   */
  final double matchedShare;

  /**
   * Share of A's textured in-frame pixels whose forward and backward flow agree: how far the dense
   * motion can be believed at all (the renderer hedges towards the crossfade as it falls).
   */
  final double consistent;

  final boolean dissolve;

  private MotionField(
      Mat first,
      Mat last,
      double[] homography,
      Mat flowAB,
      Mat flowBA,
      Mat visA,
      Mat visB,
      double matchedShare,
      double consistent,
      boolean dissolve) {
    this.width = first.cols();
    this.height = first.rows();
    this.first = first;
    this.last = last;
    this.homography = homography;
    this.flowABMat = flowAB;
    this.flowBAMat = flowBA;
    this.visA = visA;
    this.visB = visB;
    this.matchedShare = matchedShare;
    this.consistent = consistent;
    this.dissolve = dissolve;
  }

  /** Analyses two BGR frames of equal size (ownership of both passes to the field). */
  static MotionField analyze(Mat first, Mat last) {
    int w = first.cols();
    int h = first.rows();
    try (Mat ga = gray(first);
        Mat gb = gray(last)) {
      double[] coverage = {Double.NaN};
      List<float[]> matches = new ArrayList<>();
      double[] hom = globalMotion(ga, gb, coverage, matches).orElse(Homography.IDENTITY);
      Mat alignedB = new Mat();
      try (Mat hm = Homography.toMat(hom)) {
        warpPerspective(
            gb,
            alignedB,
            hm,
            new Size(w, h),
            INTER_LINEAR | WARP_INVERSE_MAP,
            BORDER_REPLICATE,
            new Scalar());
      }
      Mat fab = new Mat(h, w, CV_32FC2, new Scalar(0, 0, 0, 0));
      Mat fba = new Mat(h, w, CV_32FC2, new Scalar(0, 0, 0, 0));
      try (DISOpticalFlow dis = DISOpticalFlow.create(DISOpticalFlow.PRESET_MEDIUM)) {
        // A first guess from the feature matches, for motion farther than DIS's coarse-to-fine
        // search follows; DIS starts from the flow it is given when that has the frame's size.
        SparseSeed.fill(ga, alignedB, SparseSeed.aligned(matches, hom), fab, fba);
        dis.calc(ga, alignedB, fab);
        dis.calc(alignedB, ga, fba);
      }
      byte[] grayA = bytes(ga);
      byte[] grayB = bytes(alignedB);
      alignedB.close();
      float[] ab = floats(fab);
      float[] ba = floats(fba);
      float[] va = new float[w * h];
      float[] vb = new float[w * h];
      // A's pixels land in aligned B, whose real content is where H sends them inside B; aligned
      // B's own pixels exist only where H sends them inside B.
      Consistency fromA = visibility(ab, ba, w, h, null, hom, va, grayA, grayB);
      double share = fromA.all();
      visibility(ba, ab, w, h, hom, null, vb, grayB, grayA);
      ((FloatBuffer) fab.createBuffer()).put(ab);
      ((FloatBuffer) fba.createBuffer()).put(ba);
      // Features decide whether the frames show one scene; only a frame too plain for features
      // falls back to the share of consistent dense flow.
      boolean dissolve =
          Double.isNaN(coverage[0]) ? share < MIN_CONSISTENT : coverage[0] < SceneCut.MIN_COVERAGE;
      log.debug(
          "event=motion_analysed global={} consistent={} dissolve={}",
          hom != Homography.IDENTITY,
          share,
          dissolve);
      return new MotionField(
          first,
          last,
          hom,
          fab,
          fba,
          blurred(va, w, h),
          blurred(vb, w, h),
          Double.isNaN(coverage[0]) ? share : coverage[0],
          Double.isNaN(fromA.textured()) ? share : fromA.textured(),
          dissolve);
    }
  }

  /**
   * Marks pixel x visible when its flow leads inside the other frame, the flow back returns near x
   * and the colours agree. {@code srcToOriginal}/{@code dstToOriginal} (or null) map aligned-B
   * coordinates to B's own frame, where real content exists. Returns how consistent the flow is.
   */
  private static Consistency visibility(
      float[] fwd,
      float[] back,
      int w,
      int h,
      double[] srcToOriginal,
      double[] dstToOriginal,
      float[] out,
      byte[] srcGray,
      byte[] dstGray) {
    long inFrame = 0;
    long consistent = 0;
    long textured = 0;
    long texturedConsistent = 0;
    for (int y = 0, i = 0; y < h; y++) {
      for (int x = 0; x < w; x++, i++) {
        if (srcToOriginal != null && !Homography.inside(srcToOriginal, x, y, w, h)) {
          // Not real content of B (padding of the alignment): its flow means nothing.
          fwd[2 * i] = 0;
          fwd[2 * i + 1] = 0;
          continue;
        }
        float fx = fwd[2 * i];
        float fy = fwd[2 * i + 1];
        float tx = x + fx;
        float ty = y + fy;
        if (tx < 0
            || ty < 0
            || tx > w - 1
            || ty > h - 1
            || (dstToOriginal != null && !Homography.inside(dstToOriginal, tx, ty, w, h))) {
          // Seen only in this frame (a pan or zoom reveals or hides it): the flow matched against
          // padding, so drop it and let the global motion alone move this pixel.
          fwd[2 * i] = 0;
          fwd[2 * i + 1] = 0;
          out[i] = 1f;
          continue;
        }
        inFrame++;
        int j = Math.round(ty) * w + Math.round(tx);
        float ex = fx + back[2 * j];
        float ey = fy + back[2 * j + 1];
        double err = Math.sqrt(ex * ex + ey * ey);
        double tolerance = 1.0 + 0.05 * Math.sqrt(fx * fx + fy * fy);
        double geometric =
            err <= tolerance ? 1 : Math.max(0, 1 - (err - tolerance) / (2 * tolerance));
        if (err <= tolerance) consistent++;
        if (x > 0 && y > 0 && x < w - 1 && y < h - 1) {
          int gx = Math.abs((srcGray[i + 1] & 0xff) - (srcGray[i - 1] & 0xff));
          int gy = Math.abs((srcGray[i + w] & 0xff) - (srcGray[i - w] & 0xff));
          if (gx + gy >= TEXTURE) {
            textured++;
            if (err <= tolerance) texturedConsistent++;
          }
        }
        // Photometric check: does the pixel look like where its flow leads? Wrong flow on texture
        // fails here.
        double diff = Math.abs((srcGray[i] & 0xff) - sample(dstGray, w, h, tx, ty));
        out[i] = (float) (geometric * Math.exp(-diff / PHOTOMETRIC_SIGMA));
      }
    }
    return new Consistency(
        inFrame == 0 ? 0 : (double) consistent / inFrame,
        textured == 0 ? Double.NaN : (double) texturedConsistent / textured);
  }

  /**
   * Shares of in-frame pixels whose forward and backward flow agree: over all of them, and over the
   * textured ones only (NaN when there are none).
   */
  private record Consistency(double all, double textured) {}

  /** Bilinear sample of a grey image at (x, y) inside it. */
  private static double sample(byte[] g, int w, int h, float x, float y) {
    int x0 = Math.min((int) x, w - 2);
    int y0 = Math.min((int) y, h - 2);
    float fx = x - x0;
    float fy = y - y0;
    int i = y0 * w + x0;
    double top = (g[i] & 0xff) * (1 - fx) + (g[i + 1] & 0xff) * fx;
    double bottom = (g[i + w] & 0xff) * (1 - fx) + (g[i + w + 1] & 0xff) * fx;
    return top * (1 - fy) + bottom * fy;
  }

  /**
   * The global motion, or empty when there is none worth modelling: too few reliable matches, a
   * degenerate fit, or a static camera (most matches do not move, e.g. only an actor moves). Runs
   * single-threaded so keypoint order, and with it RANSAC, is the same on every run.
   */
  private static Optional<double[]> globalMotion(
      Mat ga, Mat gb, double[] coverage, List<float[]> matches) {
    int threads = getNumThreads();
    setNumThreads(1);
    try {
      Optional<double[]> fit = fitSimilarity(ga, gb, coverage, matches);
      return fit.isPresent() ? fit : translation(ga, gb);
    } finally {
      setNumThreads(threads);
    }
  }

  private static Optional<double[]> fitSimilarity(
      Mat ga, Mat gb, double[] coverage, List<float[]> matches) {
    double scale = Math.min(1.0, (double) FEATURE_WIDTH / ga.cols());
    try (Mat sa = new Mat();
        Mat sb = new Mat();
        KeyPointVector ka = new KeyPointVector();
        KeyPointVector kb = new KeyPointVector();
        Mat da = new Mat();
        Mat db = new Mat();
        DMatchVectorVector knn = new DMatchVectorVector();
        BFMatcher matcher = new BFMatcher(NORM_HAMMING, false)) {
      Size small =
          new Size((int) Math.round(ga.cols() * scale), (int) Math.round(ga.rows() * scale));
      resize(ga, sa, small, 0, 0, INTER_AREA);
      resize(gb, sb, small, 0, 0, INTER_AREA);
      // Dark or soft frames have few corners at the usual FAST threshold: lower it until there are
      // enough.
      for (int fast : new int[] {10, 5, 2}) {
        try (ORB orb = ORB.create(3000, 1.2f, 8, 31, 0, 2, ORB.HARRIS_SCORE, 31, fast)) {
          orb.detectAndCompute(sa, new Mat(), ka, da);
          orb.detectAndCompute(sb, new Mat(), kb, db);
        }
        if (Math.min(da.rows(), db.rows()) >= 500) break;
      }
      List<float[]> keypointsA = new ArrayList<>();
      for (long i = 0; i < ka.size(); i++) {
        keypointsA.add(
            new float[] {
              (float) (ka.get(i).pt().x() / scale), (float) (ka.get(i).pt().y() / scale)
            });
      }
      if (da.rows() < 12 || db.rows() < 12) return Optional.empty();
      matcher.knnMatch(da, db, knn, 2);
      List<float[]> pairs = new ArrayList<>();
      for (long i = 0; i < knn.size(); i++) {
        DMatchVector cand = knn.get(i);
        if (cand.size() < 2 || cand.get(0).distance() > 0.75f * cand.get(1).distance()) continue;
        var pa = ka.get(cand.get(0).queryIdx()).pt();
        var pb = kb.get(cand.get(0).trainIdx()).pt();
        pairs.add(
            new float[] {
              (float) (pa.x() / scale),
              (float) (pa.y() / scale),
              (float) (pb.x() / scale),
              (float) (pb.y() / scale)
            });
      }
      coverage[0] = SceneCut.coverage(pairs, keypointsA, ga.cols(), ga.rows());
      matches.addAll(pairs);
      int n = pairs.size();
      if (n < 12) return Optional.empty();
      try (Mat src = new Mat(n, 1, CV_32FC2);
          Mat dst = new Mat(n, 1, CV_32FC2);
          Mat mask = new Mat()) {
        FloatBuffer s = src.createBuffer();
        FloatBuffer d = dst.createBuffer();
        for (int i = 0; i < n; i++) {
          float[] p = pairs.get(i);
          s.put(2 * i, p[0]).put(2 * i + 1, p[1]);
          d.put(2 * i, p[2]).put(2 * i + 1, p[3]);
        }
        // A similarity (pan, zoom, roll) is what cameras mostly do and is far more robust to fit
        // than a full homography; perspective left over is the residual flow's job.
        try (Mat am = estimateAffinePartial2D(src, dst, mask, RANSAC, 3.0, 2000, 0.995, 10)) {
          if (am == null || am.empty()) return Optional.empty();
          double[] a = new double[6];
          ((DoubleBuffer) am.createBuffer()).get(a);
          double[] hmv = {a[0], a[1], a[2], a[3], a[4], a[5], 0, 0, 1};
          ByteBuffer inl = mask.createBuffer();
          int inliers = 0;
          int still = 0;
          for (int i = 0; i < n; i++) {
            float[] p = pairs.get(i);
            if (inl.get(i) != 0) inliers++;
            if (Math.hypot(p[2] - p[0], p[3] - p[1]) < 2.0) still++;
          }
          if (inliers < 15 || inliers < 0.1 * n) return Optional.empty();
          if (still >= 0.5 * inliers)
            return Optional.empty(); // a static camera: leave all motion to the flow
          return Homography.plausible(hmv, ga.cols(), ga.rows())
              ? Optional.of(hmv)
              : Optional.empty();
        }
      }
    }
  }

  /**
   * Fallback for low-texture frames where features fail: a pure translation by phase correlation,
   * kept only when it aligns the frames clearly better than no motion at all.
   */
  private static Optional<double[]> translation(Mat ga, Mat gb) {
    try (Mat fa = new Mat();
        Mat fb = new Mat()) {
      ga.convertTo(fa, CV_32F);
      gb.convertTo(fb, CV_32F);
      double[] response = new double[1];
      var shift = phaseCorrelate(fa, fb, new Mat(), response);
      double dx = shift.x();
      double dy = shift.y();
      if (response[0] < 0.05 || Math.hypot(dx, dy) < 2) return Optional.empty();
      byte[] a = bytes(ga);
      byte[] b = bytes(gb);
      int w = ga.cols();
      int h = ga.rows();
      double none = alignmentError(a, b, w, h, 0, 0);
      double plus = alignmentError(a, b, w, h, dx, dy);
      double minus = alignmentError(a, b, w, h, -dx, -dy);
      double best = Math.min(plus, minus);
      if (best > 0.7 * none) return Optional.empty();
      double sx = plus <= minus ? dx : -dx;
      double sy = plus <= minus ? dy : -dy;
      return Optional.of(new double[] {1, 0, sx, 0, 1, sy, 0, 0, 1});
    }
  }

  /**
   * Mean absolute grey difference between A(x) and B(x + d) over their overlap, sampled every 4 px.
   */
  private static double alignmentError(byte[] a, byte[] b, int w, int h, double dx, double dy) {
    long sum = 0;
    long count = 0;
    int ox = (int) Math.round(dx);
    int oy = (int) Math.round(dy);
    for (int y = 0; y < h; y += 4) {
      int by = y + oy;
      if (by < 0 || by >= h) continue;
      for (int x = 0; x < w; x += 4) {
        int bx = x + ox;
        if (bx < 0 || bx >= w) continue;
        sum += Math.abs((a[y * w + x] & 0xff) - (b[by * w + bx] & 0xff));
        count++;
      }
    }
    return count < 100 ? Double.MAX_VALUE : (double) sum / count;
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

  static byte[] bytes(Mat m) {
    ByteBuffer b = m.createBuffer();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  static float[] floats(Mat m) {
    FloatBuffer b = m.createBuffer();
    float[] out = new float[b.remaining()];
    b.get(out);
    return out;
  }

  TweenEngine.Analysis analysis() {
    return new TweenEngine.Analysis(dissolve, homography != Homography.IDENTITY, matchedShare);
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
