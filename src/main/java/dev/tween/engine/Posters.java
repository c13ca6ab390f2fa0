package dev.tween.engine;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/** A poster for a clip: its middle frame as a JPEG, at most 640 pixels wide. */
public final class Posters {
  private static final int MAX_WIDTH = 640;

  private Posters() {}

  /**
   * The poster of a finished MP4 (an upstream's video): its middle frame, decoded. The middle is
   * found from the container's frame count when it has one, else by counting.
   */
  public static void write(Path mp4, Path jpeg) throws IOException {
    int frames = VideoFrames.countFast(mp4);
    BufferedImage frame = VideoFrames.read(mp4, List.of(Math.max(0, frames / 2))).getFirst();
    try (PointerScope scope = new PointerScope();
        Mat bgr = Frames.toMat(frame)) {
      write(bgr, frame.getWidth(), frame.getHeight(), jpeg);
    }
  }

  /**
   * The poster from a frame the engine made (I420, padded to even sides): no MP4 to decode again.
   */
  static void fromI420(Mat i420, int width, int height, Path jpeg) throws IOException {
    try (PointerScope scope = new PointerScope();
        Mat bgr = Yuv.toBgr(i420)) {
      write(bgr, width, height, jpeg);
    }
  }

  private static void write(Mat bgr, int width, int height, Path jpeg) throws IOException {
    double scale = Math.min(1.0, (double) MAX_WIDTH / width);
    int w = (int) Math.round(width * scale);
    int h = (int) Math.round(height * scale);
    try (Mat cut = bgr.apply(new Rect(0, 0, width, height));
        Mat small = new Mat()) {
      resize(cut, small, new Size(w, h), 0, 0, INTER_AREA);
      if (!ImageIO.write(Frames.toImage(small), "jpg", jpeg.toFile()))
        throw new IOException("no JPEG writer");
    }
  }
}
