package dev.tween.engine;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/** Confirms a file is a playable video: an MP4 container whose video stream decodes. */
public final class Mp4Check {
  private Mp4Check() {}

  public static void verify(Path file) throws IOException {
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
      g.start();
      if (g.getImageWidth() <= 0 || g.getImageHeight() <= 0)
        throw new IOException(file.getFileName() + " has no video stream");
      String format = g.getFormat() == null ? "" : g.getFormat();
      if (!format.contains("mp4"))
        throw new IOException(file.getFileName() + " is " + format + ", not MP4");
      Frame f = g.grabImage();
      if (f == null) throw new IOException(file.getFileName() + " has no decodable frame");
      g.stop();
    } catch (FrameGrabber.Exception e) {
      throw new IOException(file.getFileName() + " is not a playable video: " + e.getMessage(), e);
    }
  }
}
