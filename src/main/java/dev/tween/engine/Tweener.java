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
 * #BAND} rows so the intermediates stay in cache. They run on the I420 planes ({@link Yuv}): the
 * chroma planes are a quarter of the luma each, so a frame is half the pixels of BGR, and it goes
 * to the encoder as it is. Buffers are reused from frame to frame.
 */
final class Tweener implements AutoCloseable {
  /**
   * Output pixels per control-grid cell along each axis (frames narrower than 480 px use 1): the
   * motion is smooth at this scale, so a coarser grid costs little quality and saves most of the
   * grid work (the quality and speed benches' numbers: README, "The local engine").
   */
  static final int STEP = 8;

  /**
   * Output rows composited at a time (a multiple of {@link #STEP}). Each band also upsamples one
   * grid row above and below it, {@link #STEP} output rows each, so larger bands waste less; past
   * 64 the intermediates fall out of cache (timings: README, "The local engine").
   */
  static final int BAND = 64;

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

  /**
   * Bound of the mixes' odds. A mix of x and y by weights p and q is blendLinear(x, y, p/q, 1), so
   * each mix upsamples one plane, not two, and the other weight is a constant plane of ones.
   * Interpolated as odds rather than shares, a transition leans towards its surer side.
   */
  private static final float ODDS = 1000;

  /** Grids upsampled per band: the two sampling maps and the two mixes' odds. */
  private static final int GRIDS = 4;

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

  /**
   * Grid rows each band upsamples above and below its own, so the upsampling interpolates as for
   * the whole frame; two at the full grid, which keeps the chroma rows of a band on whole grid
   * rows.
   */
  private final int margin;

  /** Whether the frame is composited band by band (its size is a multiple of the grid step). */
  private final boolean banded;

  private final int band;

  /** The output rows composited at a time (one band for the whole frame when not banded). */
  private final List<Band> bands = new ArrayList<>();

  // Per instance, not static: a native object made inside a PointerScope dies with the scope.
  private final Mat none = new Mat();
  private final Scalar zero = new Scalar();
  private final Scalar one = new Scalar(1);

  private final Mat grid;

  /** Both residual flows in one 4-channel matrix, so one lookup per frame reads both. */
  private final Mat flows = new Mat();

  /** The keyframes and the output in I420 ({@link Yuv}). */
  private final Mat first;

  private final Mat last;
  private final Mat out;

  private final Mat q = new Mat();
  private final Mat flowAtQ = new Mat();
  private final Mat mapA;
  private final Mat mapB;

  /** {@link #mapA} and {@link #mapB} in chroma pixels. */
  private final Mat chromaMapA;

  private final Mat chromaMapB;
  private final Mat zB;
  private final Mat sampleA = new Mat();
  private final Mat sampleB = new Mat();
  private final Mat visAtA = new Mat();
  private final Mat visAtB = new Mat();

  /**
   * The two mixes as odds against 1 ({@link #ODDS}): of warped A over warped B, and of the warp
   * over the crossfade.
   */
  private final Mat mixOdds;

  private final Mat trustOdds;
  private final Level luma;
  private final Level chroma;
  private final float[] qv;
  private final float[] fq;
  private final float[] ma;
  private final float[] mb;
  private final float[] zb;
  private final float[] va;
  private final float[] vb;
  private final byte[] pa;
  private final byte[] pb;
  private final float[] mo;
  private final float[] to;

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
    this.margin = step >= 2 ? 1 : 2;
    this.cw = (w + step - 1) / step;
    this.ch = (h + step - 1) / step;
    this.n = cw * ch;
    Yuv.requireEven(w, h);
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
    chromaMapA = new Mat(ch, cw, CV_32FC2);
    chromaMapB = new Mat(ch, cw, CV_32FC2);
    zB = new Mat(ch, cw, CV_32FC2);
    mixOdds = new Mat(ch, cw, CV_32FC1);
    trustOdds = new Mat(ch, cw, CV_32FC1);
    first = Yuv.fromBgr(field.first);
    last = Yuv.fromBgr(field.last);
    out = new Mat(h * 3 / 2, w, CV_8UC1);
    this.banded = w == cw * step && h == ch * step && h > band && band % step == 0;
    luma = new Level(1, mapA, mapB);
    chroma = new Level(2, chromaMapA, chromaMapB);
    int rows = banded ? band : h;
    for (int y0 = 0; y0 < h; y0 += rows) {
      int y1 = Math.min(h, y0 + rows);
      bands.add(new Band(luma, y0, y1, 0));
      bands.add(new Band(chroma, y0, y1, 1, 2));
    }
    qv = new float[2 * n];
    fq = new float[4 * n];
    ma = new float[2 * n];
    mb = new float[2 * n];
    zb = new float[2 * n];
    va = new float[n];
    vb = new float[n];
    pa = new byte[3 * n];
    pb = new byte[3 * n];
    mo = new float[n];
    to = new float[n];
  }

  /**
   * The frame at progress {@code s} in [0,1] for {@code variant}'s drift, in I420 ({@link Yuv}).
   * The returned matrix is reused by the next call.
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
    // A luma position p is chroma position p / 2 − 1/4 (chroma samples centre on 2×2 blocks).
    mapA.convertTo(chromaMapA, -1, 0.5, -0.25);
    mapB.convertTo(chromaMapB, -1, 0.5, -0.25);
    remap(f.visA, visAtA, mapA, none, INTER_LINEAR, BORDER_CONSTANT, one);
    remap(f.visB, visAtB, zB, none, INTER_LINEAR, BORDER_CONSTANT, one);
    remap(f.first, sampleA, mapA, none, INTER_NEAREST, BORDER_REPLICATE, zero);
    remap(f.last, sampleB, mapB, none, INTER_NEAREST, BORDER_REPLICATE, zero);
    weigh(s);
    for (Band b : bands) b.composite(s);
    return out;
  }

  /**
   * The full-resolution work for output rows [y0, y1) at one plane size: the grid rows they need
   * (with margin rows on each side, so the upsampling interpolates as for the whole frame), where
   * those are upsampled to, which upsampled rows are the band's, and the band's rows of the planes
   * it composites (Y for luma; U and V for chroma, which share maps and weights).
   */
  private final class Band implements AutoCloseable {
    final Size size;
    final Mat[] gridRows = new Mat[GRIDS];
    final Mat[] upsampled = new Mat[GRIDS];
    final Mat[] rows = new Mat[GRIDS];
    final Mat ones;
    final Mat[] scratch;
    final Plane[] planes;

    /** One plane's keyframes (whole, for the remaps; the band's rows, for the fade) and output. */
    private record Plane(Mat first, Mat last, Mat firstRows, Mat lastRows, Mat outRows) {}

    /**
     * @param level the luma or chroma buffers
     * @param planes for each plane composited: its index in I420 (0 Y, 1 U, 2 V)
     */
    Band(Level level, int y0, int y1, int... planes) {
      int g0 = y0 == 0 ? 0 : Math.max(0, y0 / step - margin);
      int g1 = y1 == h ? ch : Math.min(ch, (y1 - 1) / step + 1 + margin);
      int k = level.scale;
      int skip = (y0 - g0 * step) / k; // upsampled rows above this band's first row
      int n = (y1 - y0) / k;
      size = banded ? new Size(w / k, (g1 - g0) * step / k) : new Size(w / k, h / k);
      for (int i = 0; i < GRIDS; i++) {
        gridRows[i] = level.grids[i].rowRange(g0, g1);
        upsampled[i] = level.upsampled[i].rowRange(0, size.height());
        rows[i] = level.upsampled[i].rowRange(skip, skip + n);
      }
      ones = level.ones.rowRange(0, n);
      scratch = new Mat[8];
      for (int i = 0; i < 8; i++) scratch[i] = level.scratch[i].rowRange(0, n);
      this.planes = new Plane[planes.length];
      for (int i = 0; i < planes.length; i++) {
        Mat a = Yuv.plane(first, planes[i]);
        Mat b = Yuv.plane(last, planes[i]);
        Mat o = Yuv.plane(out, planes[i]);
        int r0 = y0 / k;
        this.planes[i] =
            new Plane(a, b, a.rowRange(r0, r0 + n), b.rowRange(r0, r0 + n), o.rowRange(r0, r0 + n));
        o.close();
      }
    }

    /** Upsample, remap both keyframes, blend: the full-resolution part for these rows. */
    void composite(double s) {
      for (int i = 0; i < GRIDS; i++) resize(gridRows[i], upsampled[i], size, 0, 0, INTER_LINEAR);
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
      for (Plane p : planes) {
        remap(p.first, wpA, fixedA, fractA, INTER_LINEAR, BORDER_REPLICATE, zero);
        remap(p.last, wpB, fixedB, fractB, INTER_LINEAR, BORDER_REPLICATE, zero);
        blendLinear(wpA, wpB, rows[2], ones, wp);
        addWeighted(p.firstRows, 1 - s, p.lastRows, s, 0, fd);
        blendLinear(wp, fd, rows[3], ones, p.outRows);
      }
    }

    @Override
    public void close() {
      for (Mat[] ms : new Mat[][] {gridRows, upsampled, rows, scratch}) for (Mat m : ms) m.close();
      ones.close();
      for (Plane p : planes) {
        for (Mat m : new Mat[] {p.first, p.last, p.firstRows, p.lastRows, p.outRows}) m.close();
      }
    }
  }

  /**
   * The buffers of one plane size: luma at the output size ({@code scale} 1), chroma at half of it
   * (2), where the sampling maps are in chroma pixels. Sized for one band; the weights' grids are
   * shared by both levels.
   */
  private final class Level implements AutoCloseable {
    final int scale;
    final Mat[] grids;
    final Mat[] upsampled = new Mat[GRIDS];
    final Mat[] scratch = new Mat[8];

    /** The constant other weight of both mixes. */
    final Mat ones;

    Level(int scale, Mat gridMapA, Mat gridMapB) {
      this.scale = scale;
      this.grids = new Mat[] {gridMapA, gridMapB, mixOdds, trustOdds};
      int pw = w / scale;
      int rows = (banded ? band : h) / scale;
      int upRows = (banded ? band + 2 * margin * step : h) / scale;
      for (int i = 0; i < GRIDS; i++) {
        upsampled[i] = new Mat(upRows, pw, i < 2 ? CV_32FC2 : CV_32FC1);
      }
      ones = new Mat(rows, pw, CV_32FC1, one);
      int[] types = {CV_16SC2, CV_16UC1, CV_16SC2, CV_16UC1, CV_8UC1, CV_8UC1, CV_8UC1, CV_8UC1};
      for (int i = 0; i < 8; i++) scratch[i] = new Mat(rows, pw, types[i]);
    }

    @Override
    public void close() {
      for (Mat m : upsampled) m.close();
      for (Mat m : scratch) m.close();
      ones.close();
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
      mo[i] = odds(a, b);
      to[i] = odds(t, 1 - t);
    }
    write(mixOdds, mo);
    write(trustOdds, to);
  }

  /** The odds of weight {@code p} against {@code q}, within [1/{@link #ODDS}, {@link #ODDS}]. */
  private static float odds(float p, float q) {
    return Math.clamp((p + 1e-6f) / (q + 1e-6f), 1 / ODDS, ODDS);
  }

  /** A plain dissolve: what unrelated frames (a scene cut) get instead of a smeared warp. */
  Mat crossfade(double s) {
    addWeighted(first, 1 - s, last, s, 0, out);
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
    luma.close();
    chroma.close();
    zero.close();
    one.close();
    for (Mat m :
        new Mat[] {
          none,
          grid,
          flows,
          first,
          last,
          out,
          q,
          flowAtQ,
          mapA,
          mapB,
          chromaMapA,
          chromaMapB,
          zB,
          sampleA,
          sampleB,
          visAtA,
          visAtB,
          mixOdds,
          trustOdds
        }) {
      m.close();
    }
  }
}
