package dev.tween.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/** Applies an EXIF orientation (1..8) to a TYPE_3BYTE_BGR image so it looks as the camera meant. */
final class Orientation {
  private Orientation() {}

  static boolean swapsAxes(int orientation) {
    return orientation >= 5 && orientation <= 8;
  }

  static BufferedImage apply(BufferedImage src, int orientation) {
    if (orientation <= 1 || orientation > 8) return src;
    int w = src.getWidth();
    int h = src.getHeight();
    boolean swap = swapsAxes(orientation);
    int dw = swap ? h : w;
    int dh = swap ? w : h;
    BufferedImage out = new BufferedImage(dw, dh, BufferedImage.TYPE_3BYTE_BGR);
    byte[] s = ((DataBufferByte) src.getRaster().getDataBuffer()).getData();
    byte[] d = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < dh; y++) {
      for (int x = 0; x < dw; x++) {
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> {
            sx = w - 1 - x;
            sy = y;
          }
          case 3 -> {
            sx = w - 1 - x;
            sy = h - 1 - y;
          }
          case 4 -> {
            sx = x;
            sy = h - 1 - y;
          }
          case 5 -> {
            sx = y;
            sy = x;
          }
          case 6 -> {
            sx = y;
            sy = h - 1 - x;
          }
          case 7 -> {
            sx = w - 1 - y;
            sy = h - 1 - x;
          }
          default -> {
            sx = w - 1 - y;
            sy = x;
          } // 8
        }
        int si = (sy * w + sx) * 3;
        int di = (y * dw + x) * 3;
        d[di] = s[si];
        d[di + 1] = s[si + 1];
        d[di + 2] = s[si + 2];
      }
    }
    return out;
  }
}
