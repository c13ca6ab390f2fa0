package dev.tween.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;

/**
 * Converts any decoded image to 8-bit sRGB TYPE_3BYTE_BGR. Transparent pixels are composited on
 * white (how a page or a viewer shows a transparent logo). Gray samples are taken as they are
 * stored, not through Java's linear-gray color space, which would brighten every gray PNG.
 */
final class Pixels {
  private Pixels() {}

  static BufferedImage toBgr(BufferedImage src) {
    if (src.getType() == BufferedImage.TYPE_3BYTE_BGR) return src;
    int w = src.getWidth();
    int h = src.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    boolean gray =
        src.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
            && !(src.getColorModel() instanceof java.awt.image.IndexColorModel);
    int[] argb = new int[w];
    int[][] bands = new int[2][w];
    for (int y = 0; y < h; y++) {
      if (gray) grayRow(src.getRaster(), src.getColorModel().hasAlpha(), y, argb, bands);
      else src.getRGB(0, y, w, 1, argb, 0, w);
      int o = y * w * 3;
      for (int x = 0; x < w; x++, o += 3) {
        int p = argb[x];
        int a = p >>> 24;
        dst[o] = (byte) over(p & 0xff, a);
        dst[o + 1] = (byte) over(p >>> 8 & 0xff, a);
        dst[o + 2] = (byte) over(p >>> 16 & 0xff, a);
      }
    }
    return out;
  }

  private static void grayRow(Raster r, boolean alpha, int y, int[] argb, int[][] bands) {
    int w = r.getWidth();
    int bits = r.getSampleModel().getSampleSize(0);
    r.getSamples(0, y, w, 1, 0, bands[0]);
    if (alpha) r.getSamples(0, y, w, 1, 1, bands[1]);
    for (int x = 0; x < w; x++) {
      int v = to8(bands[0][x], bits);
      int a = alpha ? to8(bands[1][x], r.getSampleModel().getSampleSize(1)) : 255;
      argb[x] = a << 24 | v << 16 | v << 8 | v;
    }
  }

  private static int to8(int v, int bits) {
    if (bits == 8) return v;
    if (bits > 8) return v >>> (bits - 8);
    return v * 255 / ((1 << bits) - 1);
  }

  private static int over(int c, int a) {
    return a == 255 ? c : (c * a + 255 * (255 - a) + 127) / 255;
  }
}
