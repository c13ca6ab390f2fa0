package dev.tween.image;

import java.awt.geom.AffineTransform;

/** The EXIF orientation tag of a JPEG (APP1 "Exif"), and the transform that displays it upright. */
final class Exif {
  private Exif() {}

  /** Orientation 1–8 from the first EXIF block, 1 when absent or unreadable. */
  static int orientation(byte[] b) {
    int i = 2;
    while (i + 4 <= b.length && (b[i] & 0xff) == 0xff) {
      int marker = b[i + 1] & 0xff;
      int len = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
      if (marker == 0xda || marker == 0xd9 || len < 2) break;
      if (marker == 0xe1 && len >= 16 && b.length >= i + 2 + len
          && b[i + 4] == 'E' && b[i + 5] == 'x' && b[i + 6] == 'i' && b[i + 7] == 'f') {
        return fromTiff(b, i + 10, i + 2 + len);
      }
      i += 2 + len;
    }
    return 1;
  }

  private static int fromTiff(byte[] b, int tiff, int end) {
    if (tiff + 8 > end) return 1;
    boolean little = b[tiff] == 'I' && b[tiff + 1] == 'I';
    int ifd = tiff + (int) read(b, tiff + 4, 4, little);
    if (ifd + 2 > end || ifd < tiff) return 1;
    int entries = (int) read(b, ifd, 2, little);
    for (int e = 0; e < entries; e++) {
      int at = ifd + 2 + e * 12;
      if (at + 12 > end) return 1;
      if (read(b, at, 2, little) == 0x0112) {
        int v = (int) read(b, at + 8, 2, little);
        return v >= 1 && v <= 8 ? v : 1;
      }
    }
    return 1;
  }

  private static long read(byte[] b, int at, int n, boolean little) {
    long v = 0;
    for (int k = 0; k < n; k++) {
      int byteVal = b[at + (little ? n - 1 - k : k)] & 0xff;
      v = (v << 8) | byteVal;
    }
    return v;
  }

  /** Maps stored pixels (w × h) onto the upright image. */
  static AffineTransform transform(int orientation, int w, int h) {
    return switch (orientation) {
      case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);
      case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);
      case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);
      case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);
      case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);
      case 7 -> new AffineTransform(0, -1, -1, 0, h, w);
      case 8 -> new AffineTransform(0, -1, 1, 0, 0, w);
      default -> new AffineTransform();
    };
  }
}
