package dev.tween.engine;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_16SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_16UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_core.merge;
import static org.bytedeco.opencv.global.opencv_core.perspectiveTransform;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2YUV_I420;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.blendLinear;
import static org.bytedeco.opencv.global.opencv_imgproc.convertMaps;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.remap;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
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
 *
 * <p>Frames are composited in planar YUV 4:2:0 (I420, what the encoder takes): the keyframes are
 * converted once, luma is warped with full-resolution maps and each chroma plane with maps at half
 * resolution, upsampled from the same control grid, so there is half the full-resolution work of
 * BGR and no colour conversion per frame on the encoder's thread. Width and height must be even.
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

  /** The keyframes in I420, as one (h·3/2)×w matrix each, and their Y, U and V planes. */
  private final Mat firstYuv = new Mat();

  private final Mat lastYuv = new Mat();
  private final Mat[] firstPlanes;
  private final Mat[] lastPlanes;
  private final Mat[] outPlanes;

  /** The same six grids upsampled to chroma resolution, and the chroma maps in chroma pixels. */
  private final Mat[] chromaUp = new Mat[6];

  private final Mat chromaMapA = new Mat();
  private final Mat chromaMapB = new Mat();
  private final Mat fullMapA = new Mat();
  private final Mat fullMapB = new Mat();
  private final Mat fullWeightA = new Mat();
  private final Mat fullWeightB = new Mat();
  private final Mat fullTrust = new Mat();
  private final Mat fullDistrust = new Mat();
  private final Mat out;
  private final Mat[] scratchLuma;
  private final Mat[] scratchChroma;
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
    if (w % 2 != 0 || h % 2 != 0)
      throw new IllegalArgumentException("I420 needs an even frame size, got " + w + "x" + h);
    out = new Mat(h * 3 / 2, w, CV_8UC1);
    cvtColor(field.first, firstYuv, COLOR_BGR2YUV_I420);
    cvtColor(field.last, lastYuv, COLOR_BGR2YUV_I420);
    firstPlanes = planes(firstYuv, w, h);
    lastPlanes = planes(lastYuv, w, h);
    outPlanes = planes(out, w, h);
    // Bands start on an even grid row in luma pixels so the chroma rows split at the same place.
    this.banded = w == cw * step && h == ch * step && h > band && band % step == 0 && step % 2 == 0;
    int rows = banded ? band : h;
    int upRows = banded ? band + 2 * step : h;
    fullMapA.create(upRows, w, CV_32FC2);
    fullMapB.create(upRows, w, CV_32FC2);
    fullWeightA.create(upRows, w, CV_32FC1);
    fullWeightB.create(upRows, w, CV_32FC1);
    fullTrust.create(upRows, w, CV_32FC1);
    fullDistrust.create(upRows, w, CV_32FC1);
    for (int i = 0; i < 6; i++)
      chromaUp[i] = new Mat(upRows / 2, w / 2, i < 2 ? CV_32FC2 : CV_32FC1);
    chromaMapA.create(rows / 2, w / 2, CV_32FC2);
    chromaMapB.create(rows / 2, w / 2, CV_32FC2);
    scratchLuma = scratch(rows, w);
    scratchChroma = scratch(rows / 2, w / 2);
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
   * The frame at progress {@code s} in [0,1] for {@code variant}'s drift, in I420 (see {@link
   * #planes}). The returned matrix is reused by the next call.
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
   * upsampled to (at luma and at chroma resolution), which upsampled rows are the band's, and the
   * band's rows of the keyframes' planes, the scratch buffers and the output.
   */
  private final class Band implements AutoCloseable {
    final Size size;
    final Size chromaSize;
    final Mat[] gridRows = new Mat[6];
    final Mat[] upsampled = new Mat[6];
    final Mat[] rows = new Mat[6];
    final Mat[] chromaUpsampled = new Mat[6];
    final Mat[] chromaRows = new Mat[6];
    final Mat[] lumaScratch;
    final Mat[] chromaScratch;
    final Mat chromaA;
    final Mat chromaB;
    final Mat[] firstRows = new Mat[3];
    final Mat[] lastRows = new Mat[3];
    final Mat[] outRows = new Mat[3];

    Band(int y0, int y1) {
      int g0 = y0 == 0 ? 0 : Math.max(0, y0 / step - 1);
      int g1 = y1 == h ? ch : Math.min(ch, (y1 - 1) / step + 2);
      int skip = y0 - g0 * step; // upsampled rows above this band's first row
      int n = y1 - y0;
      size = banded ? new Size(w, (g1 - g0) * step) : full;
      chromaSize = new Size(w / 2, size.height() / 2);
      Mat[] grids = {mapA, mapB, weightA, weightB, trust, distrust};
      Mat[] buffers = {fullMapA, fullMapB, fullWeightA, fullWeightB, fullTrust, fullDistrust};
      for (int i = 0; i < 6; i++) {
        gridRows[i] = grids[i].rowRange(g0, g1);
        upsampled[i] = buffers[i].rowRange(0, size.height());
        rows[i] = buffers[i].rowRange(skip, skip + n);
        chromaUpsampled[i] = chromaUp[i].rowRange(0, chromaSize.height());
        chromaRows[i] = chromaUp[i].rowRange(skip / 2, (skip + n) / 2);
      }
      lumaScratch = rowsOf(scratchLuma, n);
      chromaScratch = rowsOf(scratchChroma, n / 2);
      chromaA = chromaMapA.rowRange(0, n / 2);
      chromaB = chromaMapB.rowRange(0, n / 2);
      for (int p = 0; p < 3; p++) {
        int r0 = p == 0 ? y0 : y0 / 2;
        int r1 = p == 0 ? y1 : y1 / 2;
        firstRows[p] = firstPlanes[p].rowRange(r0, r1);
        lastRows[p] = lastPlanes[p].rowRange(r0, r1);
        outRows[p] = outPlanes[p].rowRange(r0, r1);
      }
    }

    /** Upsample, remap both keyframes, blend: the full-resolution part for these rows. */
    void composite(double s) {
      for (int i = 0; i < 6; i++) {
        resize(gridRows[i], upsampled[i], size, 0, 0, INTER_LINEAR);
        resize(gridRows[i], chromaUpsampled[i], chromaSize, 0, 0, INTER_LINEAR);
      }
      // A chroma sample covers luma pixels 2x..2x+1: luma position p is chroma (p − 0.5) / 2.
      chromaRows[0].convertTo(chromaA, CV_32FC2, 0.5, -0.25);
      chromaRows[1].convertTo(chromaB, CV_32FC2, 0.5, -0.25);
      // Fixed-point maps: remap quantises float maps to the same 1/32 px internally, so the pixels
      // are identical, but the packed maps are read much faster.
      fixedPoint(rows[0], rows[1], lumaScratch);
      fixedPoint(chromaA, chromaB, chromaScratch);
      plane(0, s, rows, lumaScratch);
      plane(1, s, chromaRows, chromaScratch);
      plane(2, s, chromaRows, chromaScratch);
    }

    private void fixedPoint(Mat mapA, Mat mapB, Mat[] scratch) {
      convertMaps(mapA, none, scratch[0], scratch[1], CV_16SC2, false);
      convertMaps(mapB, none, scratch[2], scratch[3], CV_16SC2, false);
    }

    /** Plane {@code p}: both keyframes warped and blended by trust with the crossfade. */
    private void plane(int p, double s, Mat[] weights, Mat[] scratch) {
      Mat wpA = scratch[4];
      Mat wpB = scratch[5];
      Mat wp = scratch[6];
      Mat fd = scratch[7];
      remap(firstPlanes[p], wpA, scratch[0], scratch[1], INTER_LINEAR, BORDER_REPLICATE, zero);
      remap(lastPlanes[p], wpB, scratch[2], scratch[3], INTER_LINEAR, BORDER_REPLICATE, zero);
      blendLinear(wpA, wpB, weights[2], weights[3], wp);
      addWeighted(firstRows[p], 1 - s, lastRows[p], s, 0, fd);
      blendLinear(wp, fd, weights[4], weights[5], outRows[p]);
    }

    @Override
    public void close() {
      for (Mat[] ms :
          new Mat[][] {
            gridRows,
            upsampled,
            rows,
            chromaUpsampled,
            chromaRows,
            lumaScratch,
            chromaScratch,
            firstRows,
            lastRows,
            outRows
          }) {
        for (Mat m : ms) m.close();
      }
      chromaA.close();
      chromaB.close();
    }
  }

  private static Mat[] rowsOf(Mat[] ms, int n) {
    Mat[] views = new Mat[ms.length];
    for (int i = 0; i < ms.length; i++) views[i] = ms[i].rowRange(0, n);
    return views;
  }

  /**
   * Scratch for one plane's rows: fixed-point maps and fractions for A and B, both warped planes,
   * their blend and the crossfade.
   */
  private static Mat[] scratch(int rows, int cols) {
    int[] types = {CV_16SC2, CV_16UC1, CV_16SC2, CV_16UC1, CV_8UC1, CV_8UC1, CV_8UC1, CV_8UC1};
    Mat[] ms = new Mat[types.length];
    for (int i = 0; i < types.length; i++) ms[i] = new Mat(rows, cols, types[i]);
    return ms;
  }

  /** Views of the Y, U and V planes of an I420 matrix ((h·3/2)×w, one byte per sample). */
  static Mat[] planes(Mat i420, int w, int h) {
    long y = (long) w * h;
    return new Mat[] {
      i420.rowRange(0, h),
      new Mat(h / 2, w / 2, CV_8UC1, new BytePointer(i420.data()).position(y), w / 2),
      new Mat(h / 2, w / 2, CV_8UC1, new BytePointer(i420.data()).position(y + y / 4), w / 2)
    };
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
    addWeighted(firstYuv, 1 - s, lastYuv, s, 0, out);
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
    for (Mat[] ms :
        new Mat[][] {firstPlanes, lastPlanes, outPlanes, chromaUp, scratchLuma, scratchChroma})
      for (Mat m : ms) m.close();
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
          fullWeightA,
          fullWeightB,
          fullTrust,
          fullDistrust,
          firstYuv,
          lastYuv,
          chromaMapA,
          chromaMapB,
          out
        }) {
      m.close();
    }
  }
}
