package dev.tween.engine;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_CUBIC;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/** Conversions between Java images and OpenCV matrices, and fitting a frame to the output size. */
final class Frames {
  private Frames() {}

  /** A BGR {@link Mat} holding a copy of a TYPE_3BYTE_BGR image's pixels. */
  static Mat toMat(BufferedImage img) {
    if (img.getType() != BufferedImage.TYPE_3BYTE_BGR)
      throw new IllegalArgumentException("expected TYPE_3BYTE_BGR");
    byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    Mat m = new Mat(img.getHeight(), img.getWidth(), CV_8UC3);
    new BytePointer(m.data()).put(px, 0, px.length);
    return m;
  }

  static BufferedImage toImage(Mat bgr) {
    var img = new BufferedImage(bgr.cols(), bgr.rows(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    bgr.data().get(px);
    return img;
  }

  /**
   * Scales and centre-crops {@code src} so it covers {@code width × height} exactly (the hosted
   * API's behaviour for inputs whose aspect differs from the output's).
   */
  static Mat coverFit(Mat src, int width, int height) {
    double scale = Math.max((double) width / src.cols(), (double) height / src.rows());
    int cropW = Math.min(src.cols(), (int) Math.round(width / scale));
    int cropH = Math.min(src.rows(), (int) Math.round(height / scale));
    int x = (src.cols() - cropW) / 2;
    int y = (src.rows() - cropH) / 2;
    Mat out = new Mat();
    try (Mat crop = new Mat(src, new Rect(x, y, cropW, cropH))) {
      if (cropW == width && cropH == height) {
        crop.copyTo(out);
      } else {
        resize(crop, out, new Size(width, height), 0, 0, scale < 1 ? INTER_AREA : INTER_CUBIC);
      }
    }
    return out;
  }
}
