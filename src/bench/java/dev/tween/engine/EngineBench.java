package dev.tween.engine;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The benches' one door into the engine. It lives in the bench source set (src/bench/java, not in
 * tween.jar), in the engine's package, so nothing in the engine is public for a bench's sake.
 */
public final class EngineBench {
  private EngineBench() {}

  /** Frames per second of every clip the engine writes. */
  public static final int FPS = Mp4Writer.FPS;

  /** x264 preset and CRF the engine encodes with (the speed bench's encode-only baseline). */
  public static final String PRESET = Mp4Writer.PRESET;

  public static final String CRF = Mp4Writer.CRF;

  /** What the motion analysis decided for a pair: warp or dissolve, camera motion, cut score. */
  public record Analysis(boolean dissolve, boolean globalMotion, double matchedShare) {}

  public static Analysis analysis(BufferedImage first, BufferedImage last, int width, int height) {
    TweenEngine.Analysis a = new TweenEngine().analysis(first, last, width, height);
    return new Analysis(a.dissolve(), a.globalMotion(), a.matchedShare());
  }

  /**
   * A plain crossfade at {@code t} in the 4:2:0 form the engine delivers: the baseline every bench
   * compares with.
   */
  public static BufferedImage crossfade(BufferedImage first, BufferedImage last, double t) {
    return TweenEngine.crossfade(first, last, t);
  }

  /** A crossfade at {@code t} blended in RGB, without the 4:2:0 step (for comparison). */
  public static BufferedImage crossfadeRgb(BufferedImage first, BufferedImage last, double t) {
    return TweenEngine.crossfadeBgr(first, last, t);
  }

  /** Encodes ready frames with the engine's exact encoder settings. */
  public static void encode(List<BufferedImage> frames, Path file) throws IOException {
    TweenEngine.encode(frames, file);
  }

  /**
   * Encodes ready frames already in I420, as the engine hands its frames to the encoder; they are
   * converted before {@code started} runs, so time from there.
   */
  public static void encodeI420(List<BufferedImage> frames, Path file, Runnable started)
      throws IOException {
    TweenEngine.encodeI420(frames, file, started);
  }

  /** The chosen frames of a video, as BGR images. */
  public static List<BufferedImage> read(Path video, List<Integer> indexes) throws IOException {
    return VideoFrames.read(video, indexes);
  }

  /** A TYPE_3BYTE_BGR copy of any image. */
  public static BufferedImage copyBgr(BufferedImage src) {
    return VideoFrames.copyBgr(src);
  }
}
