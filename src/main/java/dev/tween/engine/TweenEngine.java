package dev.tween.engine;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.opencv.global.opencv_video;
import org.bytedeco.opencv.global.opencv_ximgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

/**
 * The local keyframe engine: fits both frames to the output, analyses the motion between them once,
 * then streams each sample's frames into its own MP4. Deterministic for equal inputs and options.
 */
public final class TweenEngine {
  /** Share of the progress bar spent on the motion analysis. */
  private static final double ANALYSIS_SHARE = 0.1;

  private final java.util.function.LongConsumer frameNanos;

  public TweenEngine(java.util.function.LongConsumer frameNanos) {
    this.frameNanos = frameNanos;
  }

  public TweenEngine() {
    this(n -> {});
  }

  /**
   * Loads the native libraries the engine uses (OpenCV with its optical flow and edge-aware
   * interpolation, FFmpeg with x264): about half a second of a cold start that a command can spend
   * on a thread of its own while it reads its inputs. Rendering loads whatever is not loaded yet.
   */
  public static void preload() {
    Loader.load(opencv_ximgproc.class);
    Loader.load(opencv_video.class);
    try {
      FFmpegFrameRecorder.tryLoad();
    } catch (FrameRecorder.Exception e) {
      // rendering loads it again and reports the failure where it matters
    }
  }

  /** What to render. */
  public record Clip(int width, int height, int frames, long seed, boolean audio) {}

  /** Thrown when rendering is stopped by its cancel check. */
  public static final class Canceled extends Exception {
    Canceled() {
      super("canceled");
    }
  }

  /** Writes {@code outputs.size()} samples of {@code clip} from two BGR keyframes of any size. */
  public void render(
      BufferedImage first,
      BufferedImage last,
      Clip clip,
      List<Path> outputs,
      DoubleConsumer progress,
      BooleanSupplier canceled)
      throws IOException, Canceled {
    render(first, last, clip, outputs, Optional.empty(), progress, canceled);
  }

  /**
   * The same, also writing {@code poster}: the first sample's middle frame as a JPEG at most 640
   * wide, taken as it is made (no decoding of the video afterwards). The video is the same to the
   * byte either way.
   */
  public void render(
      BufferedImage first,
      BufferedImage last,
      Clip clip,
      List<Path> outputs,
      Optional<Path> poster,
      DoubleConsumer progress,
      BooleanSupplier canceled)
      throws IOException, Canceled {
    // The helper is closed first (close() waits for a frame in flight), then what it reads.
    try (PointerScope scope = new PointerScope();
        MotionField field = analyze(first, last, clip.width(), clip.height());
        Tweener tweener = new Tweener(field);
        Tweener second = new Tweener(field);
        ExecutorService helper =
            Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, "tween-synth");
                  t.setDaemon(true);
                  return t;
                })) {
      progress.accept(ANALYSIS_SHARE);
      long total = (long) outputs.size() * clip.frames();
      long done = 0;
      int frames = clip.frames();
      for (int sample = 0; sample < outputs.size(); sample++) {
        Variant variant = Variant.forSample(clip.seed(), sample, clip.width(), clip.height());
        AmbientAudio audio =
            clip.audio() ? new AmbientAudio(clip.seed() + sample, clip.frames()) : null;
        try (Mp4Writer writer =
                new Mp4Writer(outputs.get(sample), clip.width(), clip.height(), clip.audio());
            EncodeQueue encoder = new EncodeQueue(writer, frameNanos)) {
          // Frames in pairs: i on this thread, i + 1 on the helper, so synthesis can use both
          // cores whenever x264 leaves one free; each frame depends on its time only, and frames
          // are encoded in order, so the file is the same to the byte.
          for (int i = 0; i < frames; i += 2) {
            if (canceled.getAsBoolean()) throw new Canceled();
            double pairT = time(i + 1, frames);
            Future<Mat> next =
                i + 1 < frames
                    ? helper.submit(
                        () -> {
                          try (PointerScope helperScope = new PointerScope()) {
                            return second.render(variant.ease(pairT), variant);
                          }
                        })
                    : null;
            try (PointerScope frameScope = new PointerScope()) {
              Mat frame = tweener.render(variant.ease(time(i, frames)), variant);
              Mat pair = next == null ? null : await(next);
              encoder.put(frame, audio == null ? null : audio.nextChunk());
              progress.accept(ANALYSIS_SHARE + (1 - ANALYSIS_SHARE) * (++done) / total);
              if (pair != null) {
                encoder.put(pair, audio == null ? null : audio.nextChunk());
                progress.accept(ANALYSIS_SHARE + (1 - ANALYSIS_SHARE) * (++done) / total);
              }
              if (sample == 0 && poster.isPresent() && (i == frames / 2 || i + 1 == frames / 2))
                Posters.fromI420(
                    i == frames / 2 ? frame : pair, clip.width(), clip.height(), poster.get());
            }
          }
          encoder.finish();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new Canceled();
        }
      }
    }
  }

  /** Linear time of frame {@code i} of {@code frames}. */
  private static double time(int i, int frames) {
    return frames == 1 ? 0 : (double) i / (frames - 1);
  }

  private static Mat await(Future<Mat> frame) throws InterruptedException {
    try {
      return frame.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException("synthesizing a frame failed", e.getCause());
    }
  }

  /**
   * One in-between frame at linear time {@code t}, at {@code width × height}: rendered as the
   * video's frames are (in 4:2:0, whose sizes are even, so an odd side is rendered one pixel
   * longer, its last row or column repeated, and cut back).
   */
  public BufferedImage frame(
      BufferedImage first, BufferedImage last, int width, int height, double t) {
    try (PointerScope scope = new PointerScope();
        MotionField field = analyze(first, last, width, height);
        Tweener tweener = new Tweener(field);
        Mat bgr = Yuv.toBgr(tweener.render(t, Variant.LINEAR));
        Mat cut = bgr.apply(new Rect(0, 0, width, height))) {
      return Frames.toImage(cut.clone());
    }
  }

  /** {@code m} grown to even sides by repeating its last column and row. */
  private static Mat padded(Mat m) {
    if (m.cols() % 2 == 0 && m.rows() % 2 == 0) return m;
    Mat out = new Mat();
    copyMakeBorder(m, out, 0, m.rows() % 2, 0, m.cols() % 2, BORDER_REPLICATE);
    m.close();
    return out;
  }

  /**
   * A plain crossfade at {@code t} as the engine delivers one (its dissolve path, in 4:2:0): the
   * baseline the benches compare with (via EngineBench), in the same form as the engine's frames.
   * Even sizes only.
   */
  static BufferedImage crossfade(BufferedImage first, BufferedImage last, double t) {
    try (PointerScope scope = new PointerScope();
        Mat a = Yuv.fromBgr(Frames.toMat(first));
        Mat b = Yuv.fromBgr(Frames.toMat(last));
        Mat out = new Mat()) {
      addWeighted(a, 1 - t, b, t, 0, out);
      return Frames.toImage(Yuv.toBgr(out));
    }
  }

  /** A crossfade at {@code t} blended in BGR, without the 4:2:0 step (for comparison). */
  static BufferedImage crossfadeBgr(BufferedImage first, BufferedImage last, double t) {
    try (PointerScope scope = new PointerScope();
        Mat a = Frames.toMat(first);
        Mat b = Frames.toMat(last);
        Mat out = new Mat()) {
      addWeighted(a, 1 - t, b, t, 0, out);
      return Frames.toImage(out);
    }
  }

  /** Encodes ready frames with the engine's exact encoder settings (the speed bench's baseline). */
  static void encode(List<BufferedImage> frames, Path file) throws IOException {
    BufferedImage first = frames.getFirst();
    try (PointerScope scope = new PointerScope();
        Mp4Writer writer = new Mp4Writer(file, first.getWidth(), first.getHeight(), false)) {
      for (BufferedImage f : frames) {
        try (PointerScope frameScope = new PointerScope();
            Mat m = Frames.toMat(f)) {
          writer.writeBgr(m);
        }
      }
    }
  }

  /**
   * Encodes ready frames handed to the encoder in I420, as the engine hands its own: the frames are
   * converted first, then {@code started} is told and they are encoded (the speed bench's second
   * baseline, with no colour conversion in the timed part).
   */
  static void encodeI420(List<BufferedImage> frames, Path file, Runnable started)
      throws IOException {
    BufferedImage first = frames.getFirst();
    try (PointerScope scope = new PointerScope();
        Mp4Writer writer = new Mp4Writer(file, first.getWidth(), first.getHeight(), false)) {
      List<Mat> ready = new ArrayList<>();
      for (BufferedImage f : frames) {
        try (Mat bgr = Frames.toMat(f)) {
          ready.add(Yuv.fromBgr(bgr));
        }
      }
      started.run();
      for (Mat m : ready) writer.write(m);
    }
  }

  /**
   * What the motion analysis decided for a pair of frames: warp along the measured motion or, for
   * frames that do not correspond (a scene cut), dissolve. {@code globalMotion} says whether a
   * camera motion (pan, zoom, roll) was modelled; {@code matchedShare} is the share of the frame
   * the cut test found explained by motion (the dissolve fires below its threshold).
   */
  record Analysis(boolean dissolve, boolean globalMotion, double matchedShare) {}

  /** The decision {@link #render} and {@link #frame} take for these frames at this size. */
  Analysis analysis(BufferedImage first, BufferedImage last, int width, int height) {
    try (PointerScope scope = new PointerScope();
        MotionField field = analyze(first, last, width, height)) {
      return field.analysis();
    }
  }

  /**
   * The motion between both frames fitted to {@code width × height}, an odd side grown by one
   * repeated row or column (frames are composited in 4:2:0, whose sides are even).
   */
  private static MotionField analyze(
      BufferedImage first, BufferedImage last, int width, int height) {
    Mat a = padded(fit(first, width, height));
    Mat b = padded(fit(last, width, height));
    return MotionField.analyze(a, b);
  }

  private static Mat fit(BufferedImage img, int width, int height) {
    try (Mat src = Frames.toMat(img)) {
      return Frames.coverFit(src, width, height);
    }
  }
}
