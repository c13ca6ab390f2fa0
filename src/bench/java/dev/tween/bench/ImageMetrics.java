package dev.tween.bench;

import java.awt.image.BufferedImage;

/**
 * Image quality metrics: {@link #psnr} and {@link #ssim} on the luma (Y, BT.601) plane, and {@link
 * #psnrRgb} over all three colour channels (the quality bench's PSNR).
 */
public final class ImageMetrics {
  private ImageMetrics() {}

  static double[] luma(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    double[] y = new double[w * h];
    for (int j = 0; j < h; j++) {
      for (int i = 0; i < w; i++) {
        int rgb = img.getRGB(i, j);
        y[j * w + i] =
            0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
      }
    }
    return y;
  }

  public static double psnr(BufferedImage a, BufferedImage b) {
    double[] x = luma(a);
    double[] y = luma(b);
    if (x.length != y.length) throw new IllegalArgumentException("sizes differ");
    double mse = 0;
    for (int i = 0; i < x.length; i++) mse += (x[i] - y[i]) * (x[i] - y[i]);
    mse /= x.length;
    return mse == 0 ? 99 : 10 * Math.log10(255 * 255 / mse);
  }

  /** PSNR over the R, G and B samples together. */
  public static double psnrRgb(BufferedImage a, BufferedImage b) {
    if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight())
      throw new IllegalArgumentException("sizes differ");
    int whole = Math.max(a.getWidth(), a.getHeight());
    return psnr(squaredError(a, b, 0, 0, whole), a.getWidth(), a.getHeight());
  }

  /** PSNR of a summed squared R, G and B error over a {@code w × h} frame (99 when exact). */
  private static double psnr(double sse, int w, int h) {
    double mse = sse / (3.0 * w * h);
    return mse == 0 ? 99 : 10 * Math.log10(255 * 255 / mse);
  }

  /**
   * PSNR over the R, G and B samples of a frame assembled from {@code candidates}, taking in each
   * {@code block}×{@code block} tile the candidate closest to {@code truth} there. It needs the
   * true frame to choose, so it is no method but a bound: no chooser among these frames, tile by
   * tile, can score higher.
   */
  public static double psnrRgbBestPerBlock(
      BufferedImage truth, int block, BufferedImage... candidates) {
    int w = truth.getWidth();
    int h = truth.getHeight();
    for (BufferedImage c : candidates) {
      if (c.getWidth() != w || c.getHeight() != h)
        throw new IllegalArgumentException("sizes differ");
    }
    double sum = 0;
    for (int y0 = 0; y0 < h; y0 += block) {
      for (int x0 = 0; x0 < w; x0 += block) {
        double best = Double.MAX_VALUE;
        for (BufferedImage c : candidates) {
          best = Math.min(best, squaredError(truth, c, x0, y0, block));
        }
        sum += best;
      }
    }
    return psnr(sum, w, h);
  }

  /** Summed squared R, G and B differences over one tile (clipped at the frame's edges). */
  private static double squaredError(BufferedImage a, BufferedImage b, int x0, int y0, int block) {
    double sse = 0;
    for (int j = y0; j < Math.min(a.getHeight(), y0 + block); j++) {
      for (int i = x0; i < Math.min(a.getWidth(), x0 + block); i++) {
        int p = a.getRGB(i, j);
        int q = b.getRGB(i, j);
        for (int shift = 0; shift <= 16; shift += 8) {
          int d = ((p >> shift) & 0xff) - ((q >> shift) & 0xff);
          sse += d * d;
        }
      }
    }
    return sse;
  }

  /** Mean SSIM over 8×8 windows with stride 4 (Wang et al. constants). */
  public static double ssim(BufferedImage a, BufferedImage b) {
    int w = a.getWidth();
    int h = a.getHeight();
    double[] x = luma(a);
    double[] y = luma(b);
    double c1 = Math.pow(0.01 * 255, 2);
    double c2 = Math.pow(0.03 * 255, 2);
    double sum = 0;
    int windows = 0;
    for (int j = 0; j + 8 <= h; j += 4) {
      for (int i = 0; i + 8 <= w; i += 4) {
        double mx = 0, my = 0;
        for (int v = 0; v < 8; v++)
          for (int u = 0; u < 8; u++) {
            mx += x[(j + v) * w + i + u];
            my += y[(j + v) * w + i + u];
          }
        mx /= 64;
        my /= 64;
        double vx = 0, vy = 0, cov = 0;
        for (int v = 0; v < 8; v++)
          for (int u = 0; u < 8; u++) {
            double dx = x[(j + v) * w + i + u] - mx;
            double dy = y[(j + v) * w + i + u] - my;
            vx += dx * dx;
            vy += dy * dy;
            cov += dx * dy;
          }
        vx /= 63;
        vy /= 63;
        cov /= 63;
        sum += ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
        windows++;
      }
    }
    return sum / windows;
  }
}
