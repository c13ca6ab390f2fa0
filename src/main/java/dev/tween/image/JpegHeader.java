package dev.tween.image;

/**
 * Walks a JPEG's marker segments (never its entropy-coded pixels) for the frame size, the EXIF
 * orientation, the number of scans and the end-of-image marker.
 */
final class JpegHeader {
  /**
   * More scans than any camera or encoder writes; thousands of tiny progressive scans are a CPU
   * bomb.
   */
  static final int MAX_SCANS = 200;

  final int width;
  final int height;
  final int orientation;

  private JpegHeader(int width, int height, int orientation) {
    this.width = width;
    this.height = height;
    this.orientation = orientation;
  }

  /** Reads up to the frame header and checks the size before looking any further. */
  static JpegHeader read(byte[] b, long maxPixels) throws ImageDecodeException {
    int pos = 2;
    int orientation = 1;
    int width = -1;
    int height = -1;
    while (true) {
      pos = nextMarker(b, pos);
      int marker = b[pos + 1] & 0xff;
      if (marker == 0xd9)
        throw new ImageDecodeException(
            "is a JPEG without image data (end-of-image before any scan)");
      if (isStandalone(marker)) {
        pos += 2;
        continue;
      }
      int len = segmentLength(b, pos);
      int body = pos + 4;
      if (isFrame(marker)) {
        if (marker > 0xc2)
          throw new ImageDecodeException(
              "is a JPEG with an unsupported coding (lossless, hierarchical or arithmetic)");
        if (width >= 0)
          throw new ImageDecodeException("is a corrupt JPEG (more than one frame header)");
        if (len < 8) throw new ImageDecodeException("is a corrupt JPEG (bad frame header)");
        height = u16(b, body + 1);
        width = u16(b, body + 3);
        if (width == 0 || height == 0)
          throw new ImageDecodeException("is a JPEG with a zero width or height");
        Limits.check(width, height, maxPixels);
      } else if (marker == 0xe1 && orientation == 1) {
        orientation = Exif.orientation(b, body, len - 2);
      } else if (marker == 0xda) {
        if (width < 0)
          throw new ImageDecodeException("is a corrupt JPEG (scan before the frame header)");
        checkScans(b, pos);
        break;
      }
      pos += 2 + len;
    }
    return new JpegHeader(width, height, orientation);
  }

  /**
   * From the first scan on: count scans and require the end-of-image marker (a truncated file has
   * none).
   */
  private static void checkScans(byte[] b, int pos) throws ImageDecodeException {
    int scans = 0;
    int i = pos;
    while (true) {
      i = nextMarker(b, i);
      int marker = b[i + 1] & 0xff;
      if (marker == 0xd9) return;
      if (isStandalone(marker)) {
        i += 2;
        continue;
      }
      int len = segmentLength(b, i);
      i += 2 + len;
      if (marker == 0xda) {
        if (++scans > MAX_SCANS)
          throw new ImageDecodeException("is a JPEG with more than " + MAX_SCANS + " scans");
        i = skipEntropyData(b, i);
      }
    }
  }

  /**
   * Returns the position of the next marker after entropy-coded data (0xFF00 is a stuffed byte).
   */
  private static int skipEntropyData(byte[] b, int i) throws ImageDecodeException {
    for (; i + 1 < b.length; i++) {
      if ((b[i] & 0xff) != 0xff) continue;
      int next = b[i + 1] & 0xff;
      if (next == 0x00 || next == 0xff || next >= 0xd0 && next <= 0xd7) continue;
      return i;
    }
    throw truncated();
  }

  private static int nextMarker(byte[] b, int pos) throws ImageDecodeException {
    if (pos + 1 >= b.length) throw truncated();
    if ((b[pos] & 0xff) != 0xff)
      throw new ImageDecodeException("is a corrupt JPEG (no marker at byte " + pos + ")");
    while (pos + 1 < b.length && (b[pos + 1] & 0xff) == 0xff) pos++; // fill bytes
    if (pos + 1 >= b.length) throw truncated();
    return pos;
  }

  private static int segmentLength(byte[] b, int pos) throws ImageDecodeException {
    if (pos + 3 >= b.length) throw truncated();
    int len = u16(b, pos + 2);
    if (len < 2)
      throw new ImageDecodeException("is a corrupt JPEG (bad segment length at byte " + pos + ")");
    if (pos + 2 + len > b.length) throw truncated();
    return len;
  }

  private static boolean isStandalone(int marker) {
    return marker == 0x01 || marker >= 0xd0 && marker <= 0xd8;
  }

  private static boolean isFrame(int marker) {
    return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
  }

  static int u16(byte[] b, int i) {
    return (b[i] & 0xff) << 8 | b[i + 1] & 0xff;
  }

  private static ImageDecodeException truncated() {
    return new ImageDecodeException("is a truncated JPEG");
  }
}
