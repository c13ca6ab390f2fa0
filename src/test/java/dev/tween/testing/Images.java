package dev.tween.testing;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Small test images, encoded on the fly. */
public final class Images {
  private Images() {}

  public static BufferedImage scene(int w, int h, int shift) {
    var img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    var g = img.createGraphics();
    g.setPaint(new GradientPaint(0, 0, new Color(30, 60, 140), w, h, new Color(220, 180, 60)));
    g.fillRect(0, 0, w, h);
    g.setColor(Color.WHITE);
    g.fillOval(w / 4 + shift, h / 3, w / 5, h / 4);
    g.setColor(new Color(200, 30, 30));
    g.fillRect(w / 2 + shift, h / 2, w / 6, h / 5);
    g.dispose();
    return img;
  }

  public static byte[] encode(BufferedImage img, String format) {
    try (var out = new ByteArrayOutputStream()) {
      if (!ImageIO.write(img, format, out))
        throw new IllegalStateException("no writer for " + format);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] png(int w, int h, int shift) {
    return encode(scene(w, h, shift), "png");
  }

  public static byte[] jpeg(int w, int h, int shift) {
    return encode(scene(w, h, shift), "jpg");
  }

  public static String dataUri(byte[] png) {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
  }

  public static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
