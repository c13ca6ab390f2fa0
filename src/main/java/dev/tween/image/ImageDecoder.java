package dev.tween.image;

import dev.tween.generate.InputImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * Decodes untrusted JPEG/PNG bytes into an sRGB {@link BufferedImage} (TYPE_3BYTE_BGR).
 *
 * <p>FIRST VERSION: sniffing only; hardening (header dimension check, named readers, EXIF orientation,
 * CMYK, 16-bit/palette PNG) is issue 6.
 */
public final class ImageDecoder {
  private ImageDecoder() {}

  /** The format told by the magic bytes, or empty when the bytes are neither JPEG nor PNG. */
  public static Optional<InputImage.Format> sniff(byte[] b) {
    if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
        && b[4] == 0x0d && b[5] == 0x0a && b[6] == 0x1a && b[7] == 0x0a) {
      return Optional.of(InputImage.Format.PNG);
    }
    if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
      return Optional.of(InputImage.Format.JPEG);
    }
    return Optional.empty();
  }

  public static BufferedImage decode(InputImage image) throws ImageDecodeException {
    try {
      BufferedImage src = ImageIO.read(new ByteArrayInputStream(image.bytes()));
      if (src == null) throw new ImageDecodeException("not a readable " + image.format() + " image");
      BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
      var g = out.createGraphics();
      g.drawImage(src, 0, 0, null);
      g.dispose();
      return out;
    } catch (IOException e) {
      throw new ImageDecodeException("corrupt " + image.format() + " image: " + e.getMessage());
    }
  }
}
