package dev.tween.image;

/**
 * Reads the orientation tag (0x0112) of IFD0 from an APP1 "Exif" segment; 1 when absent or
 * unreadable.
 */
final class Exif {
  private Exif() {}

  static int orientation(byte[] b, int start, int length) {
    int end = Math.min(b.length, start + length);
    if (end - start < 14
        || b[start] != 'E'
        || b[start + 1] != 'x'
        || b[start + 2] != 'i'
        || b[start + 3] != 'f'
        || b[start + 4] != 0
        || b[start + 5] != 0) {
      return 1;
    }
    int tiff = start + 6;
    boolean little;
    if (b[tiff] == 'I' && b[tiff + 1] == 'I') little = true;
    else if (b[tiff] == 'M' && b[tiff + 1] == 'M') little = false;
    else return 1;
    long ifd = tiff + u32(b, tiff + 4, little);
    if (ifd < tiff || ifd + 2 > end) return 1;
    int entries = u16(b, (int) ifd, little);
    for (int i = 0; i < entries; i++) {
      int e = (int) ifd + 2 + 12 * i;
      if (e + 12 > end) return 1;
      if (u16(b, e, little) == 0x0112 && u16(b, e + 2, little) == 3) {
        int value = u16(b, e + 8, little);
        return value >= 1 && value <= 8 ? value : 1;
      }
    }
    return 1;
  }

  private static int u16(byte[] b, int i, boolean little) {
    return little ? (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 : (b[i] & 0xff) << 8 | b[i + 1] & 0xff;
  }

  private static long u32(byte[] b, int i, boolean little) {
    long v =
        little
            ? (u16(b, i, true) | (long) u16(b, i + 2, true) << 16)
            : ((long) u16(b, i, false) << 16 | u16(b, i + 2, false));
    return v & 0xffffffffL;
  }
}
