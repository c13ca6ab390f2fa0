package dev.tween.engine;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.perspectiveTransform;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.remap;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Synthesizes the frame at progress {@code s} from a {@link MotionField}: both keyframes are warped
 * towards time s (A forward by s, B backward by 1−s, each through the global path plus the scaled
 * residual flow) and blended by time and visibility. Buffers are reused from frame to frame.
 */
final class Tweener implements AutoCloseable {
  /**
   * Mean per-channel difference at which agreement of the two warped keyframes stops vouching for a
   * pixel: where both warps land on the same colour the motion is right, whatever the keyframe
   * analysis trusted.
   */
  private static final float AGREEMENT_SIGMA = 10;
  /** exp(−d / (3σ)) for a summed absolute difference d of the three channels. */
  private static final float[] AGREEMENT = new float[3 * 255 + 1];

  static {
    for (int d = 0; d < AGREEMENT.length; d++) AGREEMENT[d] = (float) Math.exp(-d / (3 * AGREEMENT_SIGMA));
  }
  private final MotionField f;
  private final int w;
  private final int h;
  private final int n;
  private final Mat grid;
  private final Mat q = new Mat();
  private final Mat flowAtQ = new Mat();
  private final Mat mapA;
  private final Mat mapB;
  private final Mat zB;
  private final Mat warpedA = new Mat();
  private final Mat warpedB = new Mat();
  private final Mat visAtA = new Mat();
  private final Mat visAtB = new Mat();
  private final Mat out;
  private final float[] qv;
  private final float[] fq;
  private final float[] ma;
  private final float[] zb;
  private final byte[] pa;
  private final byte[] pb;
  private final byte[] po;
  private final float[] va;
  private final float[] vb;
  private final byte[] staticA;
  private final byte[] staticB;

  Tweener(MotionField field) {
    this.f = field;
    this.w = field.width;
    this.h = field.height;
    this.n = w * h;
    this.grid = new Mat(h, w, CV_32FC2);
    float[] g = new float[2 * n];
    for (int y = 0, i = 0; y < h; y++) {
      for (int x = 0; x < w; x++, i++) {
        g[2 * i] = x;
        g[2 * i + 1] = y;
      }
    }
    ((FloatBuffer) grid.createBuffer()).put(g);
    mapA = new Mat(h, w, CV_32FC2);
    mapB = new Mat(h, w, CV_32FC2);
    zB = new Mat(h, w, CV_32FC2);
    out = new Mat(h, w, CV_8UC3);
    qv = new float[2 * n];
    fq = new float[2 * n];
    ma = new float[2 * n];
    zb = new float[2 * n];
    pa = new byte[3 * n];
    pb = new byte[3 * n];
    po = new byte[3 * n];
    va = new float[n];
    vb = new float[n];
    staticA = MotionField.bytes(field.first);
    staticB = MotionField.bytes(field.last);
  }

  /**
   * The frame at progress {@code s} in [0,1] for {@code variant}'s drift. The returned matrix is
   * reused by the next call.
   */
  Mat render(double s, Variant variant) {
    if (f.dissolve) return crossfade(s);
    double bump = Variant.bump(s);
    double[] drift = Homography.drift(variant.driftX() * bump, variant.driftY() * bump, 1 + variant.zoom() * bump, w, h);
    double[] path = Homography.multiply(drift, Homography.interpolate(f.homography, s, w, h));
    try (Mat inv = Homography.toMat(Homography.invert(path))) {
      perspectiveTransform(grid, q, inv);
    }
    read(q, qv);
    // A: its pixel x is at q = x + s·F_ab(x) at time s, so x ≈ q − s·F_ab(q).
    // Outside A's grid nothing is known of the residual flow: zero, i.e. the global motion alone.
    remap(f.flowABMat, flowAtQ, q, new Mat(), INTER_LINEAR, BORDER_CONSTANT, new Scalar());
    read(flowAtQ, fq);
    for (int i = 0; i < 2 * n; i++) ma[i] = (float) (qv[i] - s * fq[i]);
    // B (aligned to A): its pixel z is at q = z + (1−s)·F_ba(z), so z ≈ q − (1−s)·F_ba(q); B itself is read at H(z).
    remap(f.flowBAMat, flowAtQ, q, new Mat(), INTER_LINEAR, BORDER_CONSTANT, new Scalar());
    read(flowAtQ, fq);
    for (int i = 0; i < 2 * n; i++) zb[i] = (float) (qv[i] - (1 - s) * fq[i]);
    write(mapA, ma);
    write(zB, zb);
    try (Mat hom = Homography.toMat(f.homography)) {
      perspectiveTransform(zB, mapB, hom);
    }
    remap(f.first, warpedA, mapA, new Mat(), INTER_LINEAR, BORDER_REPLICATE, new Scalar());
    remap(f.last, warpedB, mapB, new Mat(), INTER_LINEAR, BORDER_REPLICATE, new Scalar());
    remap(f.visA, visAtA, mapA, new Mat(), INTER_LINEAR, BORDER_CONSTANT, new Scalar(1));
    remap(f.visB, visAtB, zB, new Mat(), INTER_LINEAR, BORDER_CONSTANT, new Scalar(1));
    return blend(s);
  }

  /**
   * Mixes the two warped frames by time and by how much each sample is trusted (visibility and
   * photometric consistency of its flow). Where neither is trusted the pixel falls back to the
   * plain crossfade, so a failed match costs ghosting, never smeared garbage.
   */
  private Mat blend(double s) {
    ((ByteBuffer) warpedA.createBuffer()).get(pa);
    ((ByteBuffer) warpedB.createBuffer()).get(pb);
    ((FloatBuffer) visAtA.createBuffer()).get(va);
    ((FloatBuffer) visAtB.createBuffer()).get(vb);
    float[] mb = fq; // reuse: B's sampling positions, for the out-of-frame test
    read(mapB, mb);
    float ws = (float) s;
    for (int i = 0; i < n; i++) {
      float ax = ma[2 * i];
      float ay = ma[2 * i + 1];
      float bx = mb[2 * i];
      float by = mb[2 * i + 1];
      boolean inA = ax >= -0.5f && ay >= -0.5f && ax <= w - 0.5f && ay <= h - 0.5f;
      boolean inB = bx >= -0.5f && by >= -0.5f && bx <= w - 0.5f && by <= h - 0.5f;
      float wa = inA ? (1 - ws) * va[i] : 0;
      float wb = inB ? ws * vb[i] : 0;
      // Trust relative to the frames that can see this point: a region only one keyframe shows
      // (revealed by a pan) is fully trusted when that keyframe's match is good.
      float available = (inA ? 1 - ws : 0) + (inB ? ws : 0);
      float trust = available > 1e-4f ? Math.min(1f, (wa + wb) / available) : 0;
      if (inA && inB) {
        int k3 = 3 * i;
        int dsum = Math.abs((pa[k3] & 0xff) - (pb[k3] & 0xff)) + Math.abs((pa[k3 + 1] & 0xff) - (pb[k3 + 1] & 0xff))
            + Math.abs((pa[k3 + 2] & 0xff) - (pb[k3 + 2] & 0xff));
        trust = Math.max(trust, AGREEMENT[dsum]);
      }
      float sum = wa + wb;
      int k = 3 * i;
      for (int c = 0; c < 3; c++) {
        float fade = (1 - ws) * (staticA[k + c] & 0xff) + ws * (staticB[k + c] & 0xff);
        float warp;
        if (sum > 1e-4f) {
          warp = (wa * (pa[k + c] & 0xff) + wb * (pb[k + c] & 0xff)) / sum;
        } else if (inA || inB) {
          warp = inA && !inB ? (pa[k + c] & 0xff) : !inA && inB ? (pb[k + c] & 0xff)
              : (1 - ws) * (pa[k + c] & 0xff) + ws * (pb[k + c] & 0xff);
        } else {
          warp = fade;
        }
        float v = trust * warp + (1 - trust) * fade;
        po[k + c] = (byte) Math.min(255, (int) (v + 0.5f));
      }
    }
    ((ByteBuffer) out.createBuffer()).put(po);
    return out;
  }

  /** A plain dissolve: what unrelated frames (a scene cut) get instead of a smeared warp. */
  Mat crossfade(double s) {
    float ws = (float) s;
    for (int i = 0; i < 3 * n; i++) {
      po[i] = (byte) (int) ((1 - ws) * (staticA[i] & 0xff) + ws * (staticB[i] & 0xff) + 0.5f);
    }
    ((ByteBuffer) out.createBuffer()).put(po);
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
    for (Mat m : new Mat[] {grid, q, flowAtQ, mapA, mapB, zB, warpedA, warpedB, visAtA, visAtB, out}) m.close();
  }

}
