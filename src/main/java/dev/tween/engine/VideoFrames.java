package dev.tween.engine;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Reads chosen frames of a video file as BGR images (for benches and checks), decoding in order.
 */
final class VideoFrames {
  private VideoFrames() {}

  /** Frames at the given 0-based indexes, in the order asked. */
  static List<BufferedImage> read(Path video, List<Integer> indexes) throws IOException {
    SortedSet<Integer> wanted = new TreeSet<>(indexes);
    var found = new java.util.HashMap<Integer, BufferedImage>();
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile());
        Java2DFrameConverter conv = new Java2DFrameConverter()) {
      g.start();
      int i = 0;
      Frame f;
      while (!wanted.isEmpty() && (f = g.grabImage()) != null) {
        if (wanted.remove(i)) found.put(i, copyBgr(conv.convert(f)));
        i++;
      }
      g.stop();
    } catch (FrameGrabber.Exception e) {
      throw new IOException("cannot read " + video + ": " + e.getMessage(), e);
    }
    List<BufferedImage> out = new ArrayList<>();
    for (int idx : indexes) {
      BufferedImage img = found.get(idx);
      if (img == null) throw new IOException(video + " has no frame " + idx);
      out.add(img);
    }
    return out;
  }

  /**
   * Number of video frames as the container says (no decoding), or counted by decoding when it does
   * not say.
   */
  static int countFast(Path video) throws IOException {
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
      g.start();
      int n = g.getLengthInVideoFrames();
      g.stop();
      if (n > 0) return n;
    } catch (FrameGrabber.Exception e) {
      throw new IOException("cannot read " + video + ": " + e.getMessage(), e);
    }
    return count(video);
  }

  /** Number of video frames, counted by decoding. */
  static int count(Path video) throws IOException {
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
      g.start();
      int n = 0;
      while (g.grabImage() != null) n++;
      g.stop();
      return n;
    } catch (FrameGrabber.Exception e) {
      throw new IOException("cannot read " + video + ": " + e.getMessage(), e);
    }
  }

  /** A TYPE_3BYTE_BGR copy of any image (what the engine and the benches take). */
  static BufferedImage copyBgr(BufferedImage src) {
    var out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    var g = out.createGraphics();
    g.drawImage(src, 0, 0, null);
    g.dispose();
    return out;
  }
}
