package dev.tween.engine;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_16SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_16UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_core.merge;
import static org.bytedeco.opencv.global.opencv_core.perspectiveTransform;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.blendLinear;
import static org.bytedeco.opencv.global.opencv_imgproc.convertMaps;
import static org.bytedeco.opencv.global.opencv_imgproc.remap;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Synthesizes the frame at progress {@code s} from a {@link MotionField}: both keyframes are warped
 * towards time s (A forward by s, B backward by 1−s, each through the global path plus the scaled
 * residual flow) and blended by time and trust, falling back to the crossfade where neither warp is
 * trusted. The sampling maps and blend weights are smooth, so they are computed on a grid {@link
 * #STEP} times coarser than the output and upsampled; only the two remaps and the blends run at
 * full resolution, in vectorised OpenCV (the remaps with fixed-point maps), band by band of {@link
 * #BAND} rows so the intermediates stay in cache. Buffers are reused from frame to frame.
 */
final class Tweener implements AutoCloseable {
  /**
   * Output pixels per control-grid cell along each axis (frames narrower than 480 px use 1). 4
   * scores as 2 on the quality bench (26.05 dB either way) at a quarter of the grid work.
   */
  static final int STEP = 4;

  /**
   * Output rows composited at a time (a multiple of {@link #STEP}); 16 to 64 measure alike, the
   * whole frame at once costs about a quarter more.
   */
  static final int BAND = 32;

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

  private final int step;

  /** Whether the frame is composited band by band (its size is a multiple of the grid step). */
  private final boolean banded;

  private final int band;

  /** The output rows composited at a time (one band for the whole frame when not banded). */
  private final List<Band> bands = new ArrayList<>();

  // Per instance, not static: a native object made inside a PointerScope dies with the scope.
  private final Mat none = new Mat();
  private final Scalar zero = new Scalar();
  private final Scalar one = new Scalar(1);

  private final Size full;
  private final Mat grid;

  /** Both residual flows in one 4-channel matrix, so one lookup per frame reads both. */
  private final Mat flows = new Mat();

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
  private final Mat fixedMapA = new Mat();
  private final Mat fixedMapB = new Mat();
  private final Mat fractionA = new Mat();
  private final Mat fractionB = new Mat();
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
    this(field, BAND);
  }

  /** With {@code band} output rows composited at a time (the frame's height: all at once). */
  Tweener(MotionField field, int band) {
    this.f = field;
    this.band = band;
    this.w = field.width;
    this.h = field.height;
    this.step = w >= 480 ? STEP : 1;
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
    merge(new MatVector(field.flowABMat, field.flowBAMat), flows);
    mapA = new Mat(ch, cw, CV_32FC2);
    mapB = new Mat(ch, cw, CV_32FC2);
    zB = new Mat(ch, cw, CV_32FC2);
    weightA = new Mat(ch, cw, CV_32FC1);
    weightB = new Mat(ch, cw, CV_32FC1);
    trust = new Mat(ch, cw, CV_32FC1);
    distrust = new Mat(ch, cw, CV_32FC1);
    out = new Mat(h, w, CV_8UC3);
    this.banded = w == cw * step && h == ch * step && h > band && band % step == 0;
    int rows = banded ? band : h;
    int upRows = banded ? band + 2 * step : h;
    fullMapA.create(upRows, w, CV_32FC2);
    fullMapB.create(upRows, w, CV_32FC2);
    fullWeightA.create(upRows, w, CV_32FC1);
    fullWeightB.create(upRows, w, CV_32FC1);
    fullTrust.create(upRows, w, CV_32FC1);
    fullDistrust.create(upRows, w, CV_32FC1);
    fixedMapA.create(rows, w, CV_16SC2);
    fixedMapB.create(rows, w, CV_16SC2);
    fractionA.create(rows, w, CV_16UC1);
    fractionB.create(rows, w, CV_16UC1);
    warpedA.create(rows, w, CV_8UC3);
    warpedB.create(rows, w, CV_8UC3);
    warp.create(rows, w, CV_8UC3);
    fade.create(rows, w, CV_8UC3);
    for (int y0 = 0; y0 < h; y0 += rows) bands.add(new Band(y0, Math.min(h, y0 + rows)));
    qv = new float[2 * n];
    fq = new float[4 * n];
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
    // The flow from time s to each keyframe from both residual flows read at q in one lookup
    // (channels: F_ab x, y, F_ba x, y), by Super-SloMo's linear approximation: to A,
    // −(1−s)s·F_ab(q) + s²·F_ba(q); to B (aligned to A, read at H(z)), (1−s)²·F_ab(q) −
    // s(1−s)·F_ba(q). Using both ways hedges where one is wrong at a motion edge. Outside A's grid
    // nothing is known of the residual flow: zero, i.e. the global motion alone.
    remap(flows, flowAtQ, q, none, INTER_LINEAR, BORDER_CONSTANT, zero);
    read(flowAtQ, fq);
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 2; c++) {
        float ab = fq[4 * i + c];
        float ba = fq[4 * i + 2 + c];
        ma[2 * i + c] = (float) (qv[2 * i + c] - (1 - s) * s * ab + s * s * ba);
        zb[2 * i + c] = (float) (qv[2 * i + c] + (1 - s) * (1 - s) * ab - s * (1 - s) * ba);
      }
    }
    write(mapA, ma);
    write(zB, zb);
    try (Mat hom = Homography.toMat(f.homography)) {
      perspectiveTransform(zB, mapB, hom);
    }
    read(mapB, mb);
    remap(f.visA, visAtA, mapA, none, INTER_LINEAR, BORDER_CONSTANT, one);
    remap(f.visB, visAtB, zB, none, INTER_LINEAR, BORDER_CONSTANT, one);
    remap(f.first, sampleA, mapA, none, INTER_NEAREST, BORDER_REPLICATE, zero);
    remap(f.last, sampleB, mapB, none, INTER_NEAREST, BORDER_REPLICATE, zero);
    weigh(s);
    for (Band b : bands) b.composite(s);
    return out;
  }

  /**
   * Views for compositing output rows [y0, y1), made once per clip: the grid rows they need (with
   * one more on each side, so the upsampling interpolates as for the whole frame), where those are
   * upsampled to, which upsampled rows are the band's, and the band's rows of the keyframes, the
   * scratch buffers and the output.
   */
  private final class Band implements AutoCloseable {
    final Size size;
    final Mat[] gridRows = new Mat[6];
    final Mat[] upsampled = new Mat[6];
    final Mat[] rows = new Mat[6];
    final Mat[] scratch;
    final Mat firstRows;
    final Mat lastRows;
    final Mat outRows;

    Band(int y0, int y1) {
      int g0 = y0 == 0 ? 0 : Math.max(0, y0 / step - 1);
      int g1 = y1 == h ? ch : Math.min(ch, (y1 - 1) / step + 2);
      int skip = y0 - g0 * step; // upsampled rows above this band's first row
      int n = y1 - y0;
      size = banded ? new Size(w, (g1 - g0) * step) : full;
      Mat[] grids = {mapA, mapB, weightA, weightB, trust, distrust};
      Mat[] buffers = {fullMapA, fullMapB, fullWeightA, fullWeightB, fullTrust, fullDistrust};
      for (int i = 0; i < 6; i++) {
        gridRows[i] = grids[i].rowRange(g0, g1);
        upsampled[i] = buffers[i].rowRange(0, size.height());
        rows[i] = buffers[i].rowRange(skip, skip + n);
      }
      scratch = new Mat[8];
      Mat[] full = {fixedMapA, fractionA, fixedMapB, fractionB, warpedA, warpedB, warp, fade};
      for (int i = 0; i < 8; i++) scratch[i] = full[i].rowRange(0, n);
      firstRows = f.first.rowRange(y0, y1);
      lastRows = f.last.rowRange(y0, y1);
      outRows = out.rowRange(y0, y1);
    }

    /** Upsample, remap both keyframes, blend: the full-resolution part for these rows. */
    void composite(double s) {
      for (int i = 0; i < 6; i++) resize(gridRows[i], upsampled[i], size, 0, 0, INTER_LINEAR);
      Mat fixedA = scratch[0];
      Mat fractA = scratch[1];
      Mat fixedB = scratch[2];
      Mat fractB = scratch[3];
      Mat wpA = scratch[4];
      Mat wpB = scratch[5];
      Mat wp = scratch[6];
      Mat fd = scratch[7];
      // Fixed-point maps: remap quantises float maps to the same 1/32 px internally, so the pixels
      // are identical, but the packed maps are read much faster.
      convertMaps(rows[0], none, fixedA, fractA, CV_16SC2, false);
      convertMaps(rows[1], none, fixedB, fractB, CV_16SC2, false);
      remap(f.first, wpA, fixedA, fractA, INTER_LINEAR, BORDER_REPLICATE, zero);
      remap(f.last, wpB, fixedB, fractB, INTER_LINEAR, BORDER_REPLICATE, zero);
      blendLinear(wpA, wpB, rows[2], rows[3], wp);
      addWeighted(firstRows, 1 - s, lastRows, s, 0, fd);
      blendLinear(wp, fd, rows[4], rows[5], outRows);
    }

    @Override
    public void close() {
      for (Mat[] ms : new Mat[][] {gridRows, upsampled, rows, scratch}) for (Mat m : ms) m.close();
      firstRows.close();
      lastRows.close();
      outRows.close();
    }
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
    for (Band b : bands) b.close();
    zero.close();
    one.close();
    for (Mat m :
        new Mat[] {
          none,
          grid,
          flows,
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
          fixedMapA,
          fixedMapB,
          fractionA,
          fractionB,
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
