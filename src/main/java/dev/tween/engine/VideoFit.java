package dev.tween.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Re-encodes a video made elsewhere (a ComfyUI workflow's MP4, WebM or GIF) into what tween
 * delivers: H.264 MP4 of exactly the requested size, each frame scaled to cover it and
 * centre-cropped like the engine's inputs, at the source's own frame rate, without sound. Frames
 * stream through one at a time.
 */
public final class VideoFit {
  private static final double MAX_FPS = 240;

  private VideoFit() {}

  /**
   * @throws IllegalArgumentException {@code in} is not a video FFmpeg can decode, or has no frame
   * @throws IOException writing {@code out} failed
   */
  public static void fit(Path in, Path out, int width, int height) throws IOException {
    Path tmp = out.resolveSibling(out.getFileName() + ".fit.mp4");
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(in.toFile());
        OpenCVFrameConverter.ToMat frames = new OpenCVFrameConverter.ToMat()) {
      start(g, in);
      double fps = g.getFrameRate();
      if (!(fps > 0 && fps <= MAX_FPS))
        throw new IllegalArgumentException(in.getFileName() + " has no usable frame rate: " + fps);
      int n = 0;
      try (Mp4Writer w = new Mp4Writer(tmp, width, height, fps, false)) {
        for (Frame f; (f = grab(g, in)) != null; n++) {
          try (PointerScope scope = new PointerScope()) {
            Mat src = frames.convert(f);
            try (Mat fitted = Frames.coverFit(src, width, height)) {
              w.writeBgr(fitted);
            }
          }
        }
      }
      if (n == 0) throw new IllegalArgumentException(in.getFileName() + " has no video frame");
      Mp4Check.verify(tmp);
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void start(FFmpegFrameGrabber g, Path in) {
    try {
      g.start();
    } catch (FrameGrabber.Exception e) {
      throw new IllegalArgumentException(in.getFileName() + " cannot be opened: " + e.getMessage());
    }
    if (g.getImageWidth() <= 0 || g.getImageHeight() <= 0)
      throw new IllegalArgumentException(in.getFileName() + " has no video stream");
  }

  private static Frame grab(FFmpegFrameGrabber g, Path in) {
    try {
      return g.grabImage();
    } catch (FrameGrabber.Exception e) {
      throw new IllegalArgumentException(
          in.getFileName() + " cannot be decoded: " + e.getMessage());
    }
  }
}
