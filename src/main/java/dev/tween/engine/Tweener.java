package dev.tween.engine;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_core.perspectiveTransform;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.blendLinear;
import static org.bytedeco.opencv.global.opencv_imgproc.remap;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Synthesizes the frame at progress {@code s} from a {@link MotionField}: both keyframes are warped
 * towards time s (A forward by s, B backward by 1−s, each through the global path plus the scaled
 * residual flow) and blended by time and trust, falling back to the crossfade where neither warp is
 * trusted. The sampling maps and blend weights are smooth, so they are computed on a grid {@link
 * #STEP} times coarser than the output and upsampled; only the two remaps and the blends run at
 * full resolution, in vectorised OpenCV. Buffers are reused from frame to frame.
 */
final class Tweener implements AutoCloseable {
  /** Output pixels per control-grid cell along each axis (frames narrower than 480 px use 1). */
  static final int STEP = 2;

  /**
   * Mean per-channel difference at which agreement of the two warped keyframes stops vouching for a
   * pixel: where both warps land on the same colour the motion is right, whatever the keyframe
   * analysis trusted.
   */
  private static final float AGREEMENT_SIGMA = 10;

  /**
   * Shares of consistent flow ({@link MotionField#consistent}) from which the warp gets its full
   * trust and below which it gets none: where much of the flow fails its own check, what passes is
   * less reliable too, and the crossfade (an average, which PSNR forgives) is the better bet.
   */
  private static final double RELIABLE = 0.9;

  private static final double UNRELIABLE = 0.2;

  /** exp(−d / (3σ)) for a summed absolute difference d of the three channels. */
  private static final float[] AGREEMENT = new float[3 * 255 + 1];

  static {
    for (int d = 0; d < AGREEMENT.length; d++)
      AGREEMENT[d] = (float) Math.exp(-d / (3 * AGREEMENT_SIGMA));
  }

  private final MotionField f;
  private final int w;
  private final int h;

  /** Control grid size and cell count. */
  private final int cw;

  private final int ch;
  private final int n;
  private final Size full;
  private final Mat grid;
  private final Mat q = new Mat();
  private final Mat flowAtQ = new Mat();
  private final Mat mapA;
  private final Mat mapB;
  private final Mat zB;
  private final Mat sampleA = new Mat();
  private final Mat sampleB = new Mat();
  private final Mat visAtA = new Mat();
  private final Mat visAtB = new Mat();
  private final Mat weightA;
  private final Mat weightB;
  private final Mat trust;
  private final Mat distrust;
  private final Mat fullMapA = new Mat();
  private final Mat fullMapB = new Mat();
  private final Mat fullWeightA = new Mat();
  private final Mat fullWeightB = new Mat();
  private final Mat fullTrust = new Mat();
  private final Mat fullDistrust = new Mat();
  private final Mat warpedA = new Mat();
  private final Mat warpedB = new Mat();
  private final Mat warp = new Mat();
  private final Mat fade = new Mat();
  private final Mat out;
  private final float[] qv;
  private final float[] fq;
  private final float[] fqb;
  private final float[] ma;
  private final float[] mb;
  private final float[] zb;
  private final float[] va;
  private final float[] vb;
  private final byte[] pa;
  private final byte[] pb;
  private final float[] wa;
  private final float[] wb;
  private final float[] tr;
  private final float[] dt;

  Tweener(MotionField field) {
    this.f = field;
    this.w = field.width;
    this.h = field.height;
    int step = w >= 480 ? STEP : 1;
    this.cw = (w + step - 1) / step;
    this.ch = (h + step - 1) / step;
    this.n = cw * ch;
    this.full = new Size(w, h);
    // Cell centres in output pixels, matching resize()'s half-pixel alignment when upsampling.
    float sx = (float) w / cw;
    float sy = (float) h / ch;
    this.grid = new Mat(ch, cw, CV_32FC2);
    float[] g = new float[2 * n];
    for (int y = 0, i = 0; y < ch; y++) {
      for (int x = 0; x < cw; x++, i++) {
        g[2 * i] = (x + 0.5f) * sx - 0.5f;
        g[2 * i + 1] = (y + 0.5f) * sy - 0.5f;
      }
    }
    ((FloatBuffer) grid.createBuffer()).put(g);
    mapA = new Mat(ch, cw, CV_32FC2);
    mapB = new Mat(ch, cw, CV_32FC2);
    zB = new Mat(ch, cw, CV_32FC2);
    weightA = new Mat(ch, cw, CV_32FC1);
    weightB = new Mat(ch, cw, CV_32FC1);
    trust = new Mat(ch, cw, CV_32FC1);
    distrust = new Mat(ch, cw, CV_32FC1);
    out = new Mat(h, w, CV_8UC3);
    qv = new float[2 * n];
    fq = new float[2 * n];
    fqb = new float[2 * n];
    ma = new float[2 * n];
    mb = new float[2 * n];
    zb = new float[2 * n];
    va = new float[n];
    vb = new float[n];
    pa = new byte[3 * n];
    pb = new byte[3 * n];
    wa = new float[n];
    wb = new float[n];
    tr = new float[n];
    dt = new float[n];
  }

  /**
   * The frame at progress {@code s} in [0,1] for {@code variant}'s drift. The returned matrix is
   * reused by the next call.
   */
  Mat render(double s, Variant variant) {
    if (f.dissolve) return crossfade(s);
    double bump = Variant.bump(s);
    double[] drift =
        Homography.drift(
            variant.driftX() * bump, variant.driftY() * bump, 1 + variant.zoom() * bump, w, h);
    double[] path = Homography.multiply(drift, Homography.interpolate(f.homography, s, w, h));
    try (Mat inv = Homography.toMat(Homography.invert(path))) {
      perspectiveTransform(grid, q, inv);
    }
    read(q, qv);
    // The flow from time s to each keyframe, from both flows read at q (Super-SloMo's linear
    // approximation): to A, −(1−s)s·F_ab(q) + s²·F_ba(q); to B (aligned to A, read at H(z)),
    // (1−s)²·F_ab(q) − s(1−s)·F_ba(q). Using both ways hedges where one is wrong at a motion edge.
    // Outside A's grid nothing is known of the residual flow: zero, i.e. the global motion alone.
    remap(f.flowABMat, flowAtQ, q, new Mat(), INTER_LINEAR, BORDER_CONSTANT, new Scalar());
    read(flowAtQ, fq);
    remap(f.flowBAMat, flowAtQ, q, new Mat(), INTER_LINEAR, BORDER_CONSTANT, new Scalar());
    read(flowAtQ, fqb);
    for (int i = 0; i < 2 * n; i++) {
      ma[i] = (float) (qv[i] - (1 - s) * s * fq[i] + s * s * fqb[i]);
      zb[i] = (float) (qv[i] + (1 - s) * (1 - s) * fq[i] - s * (1 - s) * fqb[i]);
    }
    write(mapA, ma);
    write(zB, zb);
    try (Mat hom = Homography.toMat(f.homography)) {
      perspectiveTransform(zB, mapB, hom);
    }
    read(mapB, mb);
    remap(f.visA, visAtA, mapA, new Mat(), INTER_LINEAR, BORDER_CONSTANT, new Scalar(1));
    remap(f.visB, visAtB, zB, new Mat(), INTER_LINEAR, BORDER_CONSTANT, new Scalar(1));
    remap(f.first, sampleA, mapA, new Mat(), INTER_NEAREST, BORDER_REPLICATE, new Scalar());
    remap(f.last, sampleB, mapB, new Mat(), INTER_NEAREST, BORDER_REPLICATE, new Scalar());
    weigh(s);
    resize(mapA, fullMapA, full, 0, 0, INTER_LINEAR);
    resize(mapB, fullMapB, full, 0, 0, INTER_LINEAR);
    resize(weightA, fullWeightA, full, 0, 0, INTER_LINEAR);
    resize(weightB, fullWeightB, full, 0, 0, INTER_LINEAR);
    resize(trust, fullTrust, full, 0, 0, INTER_LINEAR);
    resize(distrust, fullDistrust, full, 0, 0, INTER_LINEAR);
    remap(f.first, warpedA, fullMapA, new Mat(), INTER_LINEAR, BORDER_REPLICATE, new Scalar());
    remap(f.last, warpedB, fullMapB, new Mat(), INTER_LINEAR, BORDER_REPLICATE, new Scalar());
    blendLinear(warpedA, warpedB, fullWeightA, fullWeightB, warp);
    addWeighted(f.first, 1 - s, f.last, s, 0, fade);
    blendLinear(warp, fade, fullTrust, fullDistrust, out);
    return out;
  }

  /**
   * Per control point: how the two warped keyframes mix (by time and visibility, only those whose
   * sample lies inside their frame) and how far the warp is trusted over the crossfade (visibility
   * and photometric consistency of the flow, or agreement of the two warps), scaled by how reliable
   * the flow is over the whole frame. Where neither is trusted the pixel falls back to the plain
   * crossfade, so a failed match costs ghosting, never smeared garbage.
   */
  private void weigh(double s) {
    ((FloatBuffer) visAtA.createBuffer()).get(va);
    ((FloatBuffer) visAtB.createBuffer()).get(vb);
    ((ByteBuffer) sampleA.createBuffer()).get(pa);
    ((ByteBuffer) sampleB.createBuffer()).get(pb);
    float ws = (float) s;
    float reliability =
        (float) Math.clamp((f.consistent - UNRELIABLE) / (RELIABLE - UNRELIABLE), 0, 1);
    for (int i = 0; i < n; i++) {
      float ax = ma[2 * i];
      float ay = ma[2 * i + 1];
      float bx = mb[2 * i];
      float by = mb[2 * i + 1];
      boolean inA = ax >= -0.5f && ay >= -0.5f && ax <= w - 0.5f && ay <= h - 0.5f;
      boolean inB = bx >= -0.5f && by >= -0.5f && bx <= w - 0.5f && by <= h - 0.5f;
      float a = inA ? (1 - ws) * va[i] : 0;
      float b = inB ? ws * vb[i] : 0;
      // Trust relative to the frames that can see this point: a region only one keyframe shows
      // (revealed by a pan) is fully trusted when that keyframe's match is good.
      float available = (inA ? 1 - ws : 0) + (inB ? ws : 0);
      float t = available > 1e-4f ? Math.min(1f, (a + b) / available) : 0;
      if (inA && inB) {
        int k = 3 * i;
        int d =
            Math.abs((pa[k] & 0xff) - (pb[k] & 0xff))
                + Math.abs((pa[k + 1] & 0xff) - (pb[k + 1] & 0xff))
                + Math.abs((pa[k + 2] & 0xff) - (pb[k + 2] & 0xff));
        t = Math.max(t, AGREEMENT[d]);
      }
      if (a + b <= 1e-4f) {
        // No visibility either way: mix the frames that see the point by time alone.
        a = inA ? 1 - ws : 0;
        b = inB ? ws : 0;
      }
      t *= reliability;
      // blendLinear divides by the weights' sum: keep it away from zero where the trust is nil
      // anyway.
      wa[i] = a + 1e-6f;
      wb[i] = b + 1e-6f;
      tr[i] = t + 1e-6f;
      dt[i] = 1 - t + 1e-6f;
    }
    write(weightA, wa);
    write(weightB, wb);
    write(trust, tr);
    write(distrust, dt);
  }

  /** A plain dissolve: what unrelated frames (a scene cut) get instead of a smeared warp. */
  Mat crossfade(double s) {
    addWeighted(f.first, 1 - s, f.last, s, 0, out);
    return out;
  }

  private static void read(Mat m, float[] dst) {
    ((FloatBuffer) m.createBuffer()).get(dst);
  }

  private static void write(Mat m, float[] src) {
    ((FloatBuffer) m.createBuffer()).put(src);
  }

  @Override
  public void close() {
    for (Mat m :
        new Mat[] {
          grid,
          q,
          flowAtQ,
          mapA,
          mapB,
          zB,
          sampleA,
          sampleB,
          visAtA,
          visAtB,
          weightA,
          weightB,
          trust,
          distrust,
          fullMapA,
          fullMapB,
          fullWeightA,
          fullWeightB,
          fullTrust,
          fullDistrust,
          warpedA,
          warpedB,
          warp,
          fade,
          out
        }) {
      m.close();
    }
  }
}
