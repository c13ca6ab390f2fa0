package dev.tween.image;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Checks a PNG's IHDR (size first) and its chunk structure, without inflating anything. */
final class PngHeader {
  final int width;
  final int height;

  private PngHeader(int width, int height) {
    this.width = width;
    this.height = height;
  }

  static PngHeader read(byte[] b, long maxPixels) throws ImageDecodeException {
    if (b.length < 33) throw truncated();
    if (u32(b, 8) != 13 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
      throw new ImageDecodeException("is a corrupt PNG (the first chunk is not a valid IHDR)");
    }
    long width = u32(b, 16);
    long height = u32(b, 20);
    if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
      throw new ImageDecodeException("is a PNG with an invalid width or height");
    }
    Limits.check(width, height, maxPixels);
    checkDepth(b[24] & 0xff, b[25] & 0xff);
    if (b[26] != 0 || b[27] != 0 || (b[28] & 0xff) > 1)
      throw new ImageDecodeException(
          "is a PNG with an unknown compression, filter or interlace method");
    checkChunks(b);
    return new PngHeader((int) width, (int) height);
  }

  private static void checkDepth(int depth, int colorType) throws ImageDecodeException {
    boolean ok =
        switch (colorType) {
          case 0 -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
          case 3 -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
          case 2, 4, 6 -> depth == 8 || depth == 16;
          default -> false;
        };
    if (!ok)
      throw new ImageDecodeException(
          "is a PNG with an invalid bit depth " + depth + " for color type " + colorType);
  }

  /**
   * Every chunk must fit in the data, critical chunks (IHDR, PLTE, IDAT, IEND) must carry a correct
   * CRC, image data must be present, and the file must end with IEND. libpng refuses the same
   * damage.
   */
  private static void checkChunks(byte[] b) throws ImageDecodeException {
    long pos = 8;
    boolean idat = false;
    var crc = new CRC32();
    while (true) {
      if (pos + 12 > b.length) {
        throw new ImageDecodeException("is a truncated PNG (it ends without an IEND chunk)");
      }
      long len = u32(b, (int) pos);
      int t = (int) pos + 4;
      String type = new String(b, t, 4, StandardCharsets.ISO_8859_1);
      if (len > Integer.MAX_VALUE || pos + 12 + len > b.length) {
        throw new ImageDecodeException(
            "is a truncated PNG (chunk "
                + printable(type)
                + " at byte "
                + pos
                + " declares "
                + len
                + " bytes, more than the file holds)");
      }
      boolean critical = CRITICAL.contains(type);
      if (critical) {
        crc.reset();
        crc.update(b, t, 4 + (int) len);
        if (crc.getValue() != u32(b, t + 4 + (int) len)) {
          throw new ImageDecodeException(
              "is a corrupt PNG (the CRC of its "
                  + type
                  + " chunk at byte "
                  + pos
                  + " does not match its data)");
        }
      }
      if (type.equals("IDAT")) idat = true;
      if (type.equals("IEND")) {
        if (!idat) throw new ImageDecodeException("is a PNG without image data");
        return;
      }
      pos += 12 + len;
    }
  }

  private static final java.util.Set<String> CRITICAL =
      java.util.Set.of("IHDR", "PLTE", "IDAT", "IEND");

  private static String printable(String type) {
    return type.chars().allMatch(c -> c >= 0x21 && c <= 0x7e) ? type : "?";
  }

  private static long u32(byte[] b, int i) {
    return ((long) (b[i] & 0xff) << 24)
        | (b[i + 1] & 0xff) << 16
        | (b[i + 2] & 0xff) << 8
        | b[i + 3] & 0xff;
  }

  private static ImageDecodeException truncated() {
    return new ImageDecodeException("is a truncated PNG");
  }
}
