package dev.tween.bench;

import dev.tween.bench.QualityBench.Triplet;
import dev.tween.engine.EngineBench;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Synthetic motion over real photographs with an exact middle frame: camera pans and a zoom, and
 * local motion (a textured object moving over a still background, with and without a hand-held
 * camera shake), the kinds of motion the real footage has too few of.
 */
public final class SyntheticMotion {
  private SyntheticMotion() {}

  static List<Triplet> cases() throws IOException {
    BufferedImage texture =
        scaled(
            EngineBench.read(QualityBench.FOOTAGE.resolve("Megamind.avi"), List.of(90)).getFirst(),
            2.0);
    int w = 640;
    int h = 360;
    List<Triplet> out = new ArrayList<>();
    for (int pan : new int[] {160, 360}) {
      out.add(
          new Triplet(
              "pan " + pan + " px",
              false,
              crop(texture, 100, 300, w, h),
              crop(texture, 100 + pan / 2, 300, w, h),
              crop(texture, 100 + pan, 300, w, h)));
    }
    out.add(
        new Triplet(
            "zoom 1.0→0.8",
            false,
            zoomCrop(texture, 1.0, w, h),
            zoomCrop(texture, 0.9, w, h),
            zoomCrop(texture, 0.8, w, h)));
    BufferedImage bg = crop(texture, 400, 500, w, h);
    out.add(new Triplet("moving disc 300 px", false, disc(bg, 120), disc(bg, 270), disc(bg, 420)));
    BufferedImage patch = crop(texture, 700, 250, 160, 160);
    out.add(
        new Triplet(
            "textured object 300 px",
            false,
            paste(bg, patch, 40, 100),
            paste(bg, patch, 190, 100),
            paste(bg, patch, 340, 100)));
    // A face-sized object (the baboon photograph, cut as an ellipse) moving over a photographed
    // building.
    BufferedImage building = photo("building.jpg");
    BufferedImage face = ellipse(scaled(photo("baboon.jpg"), 0.35));
    BufferedImage still = crop(building, 100, 120, w, h);
    for (int move : new int[] {40, 90, 160}) {
      out.add(
          new Triplet(
              "object " + move + " px, still camera",
              false,
              paste(still, face, 200, 90),
              paste(still, face, 200 + move / 2, 90 + move / 8),
              paste(still, face, 200 + move, 90 + move / 4)));
    }
    // The same object carried 60 px while a hand-held camera drifts 12 px.
    out.add(
        new Triplet(
            "object 60 px, hand-held camera",
            false,
            paste(crop(building, 100, 120, w, h), face, 200, 90),
            paste(crop(building, 106, 116, w, h), face, 230, 97),
            paste(crop(building, 112, 112, w, h), face, 260, 104)));
    return out;
  }

  static BufferedImage photo(String name) throws IOException {
    BufferedImage img = ImageIO.read(QualityBench.FOOTAGE.resolve(name).toFile());
    if (img == null) throw new IOException(name + " is not readable");
    return EngineBench.copyBgr(img);
  }

  /** The image cut to the ellipse inscribed in it, with transparency outside (TYPE_4BYTE_ABGR). */
  static BufferedImage ellipse(BufferedImage src) {
    var out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_4BYTE_ABGR);
    var g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fill(new Ellipse2D.Double(0, 0, src.getWidth(), src.getHeight()));
    g.setComposite(AlphaComposite.SrcIn);
    g.drawImage(src, 0, 0, null);
    g.dispose();
    return out;
  }

  static BufferedImage crop(BufferedImage src, int x, int y, int w, int h) {
    var out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    var g = out.createGraphics();
    g.drawImage(src, -x, -y, null);
    g.dispose();
    return out;
  }

  static BufferedImage zoomCrop(BufferedImage src, double scale, int w, int h) {
    double cw = src.getWidth() * 0.8 * scale;
    double ch = cw * h / w;
    double x = (src.getWidth() - cw) / 2;
    double y = (src.getHeight() - ch) / 2;
    var out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    var g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.drawImage(
        src,
        0,
        0,
        w,
        h,
        (int) Math.round(x),
        (int) Math.round(y),
        (int) Math.round(x + cw),
        (int) Math.round(y + ch),
        null);
    g.dispose();
    return out;
  }

  static BufferedImage disc(BufferedImage bg, int x) {
    var out = crop(bg, 0, 0, bg.getWidth(), bg.getHeight());
    var g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    for (int r = 70; r > 0; r -= 10) {
      g.setColor(new Color(40 + r * 2, 200 - r, 90 + r));
      g.fillOval(x - r, 180 - r, 2 * r, 2 * r);
    }
    g.dispose();
    return out;
  }

  /** An object (opaque or with transparency) drawn over a copy of the background at (x, y). */
  public static BufferedImage paste(BufferedImage bg, BufferedImage object, int x, int y) {
    var out = crop(bg, 0, 0, bg.getWidth(), bg.getHeight());
    var g = out.createGraphics();
    g.drawImage(object, x, y, null);
    g.dispose();
    return out;
  }

  static BufferedImage scaled(BufferedImage src, double f) {
    int w = (int) (src.getWidth() * f);
    int h = (int) (src.getHeight() * f);
    var out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    var g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.drawImage(src, 0, 0, w, h, null);
    g.dispose();
    return out;
  }
}
