package dev.tween.image;

import dev.tween.generate.InputImage;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes untrusted JPEG/PNG bytes into an sRGB {@link BufferedImage} (TYPE_3BYTE_BGR), safely:
 * the format is sniffed from the magic bytes, the declared size is read from the header and
 * refused above {@link #MAX_PIXELS} before any pixel is decoded (decompression bombs), only the
 * named JPEG reader (TwelveMonkeys: CMYK/YCCK, broken ICC profiles) or the JDK's PNG reader is
 * used, EXIF orientation is applied, and any reader warning (a truncated file) is an error.
 */
public final class ImageDecoder {
  public static final long MAX_PIXELS = 50_000_000L;
  private static final String TWELVEMONKEYS_JPEG = "com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReader";

  private ImageDecoder() {}

  /** Format and size as declared by the header. */
  public record Header(InputImage.Format format, int width, int height) {
    public long pixels() {
      return (long) width * height;
    }
  }

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

  /** Reads format and dimensions from the header alone and applies the size limit. */
  public static Header inspect(byte[] b) throws ImageDecodeException {
    InputImage.Format format = sniff(b).orElseThrow(() ->
        new ImageDecodeException("is not a JPEG or PNG image (checked from its bytes, not its name)"));
    Header h = format == InputImage.Format.PNG ? pngHeader(b) : jpegHeader(b);
    if (h.width() <= 0 || h.height() <= 0) throw new ImageDecodeException("declares an empty size " + h.width() + "x" + h.height());
    if (h.pixels() > MAX_PIXELS) {
      throw new ImageDecodeException("is " + h.width() + "x" + h.height() + " (" + h.pixels() / 1_000_000
          + " megapixels); at most 50 megapixels are accepted");
    }
    return h;
  }

  private static Header pngHeader(byte[] b) throws ImageDecodeException {
    if (b.length < 24 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
      throw new ImageDecodeException("is a truncated or corrupt PNG (no IHDR)");
    }
    long w = u32(b, 16);
    long h = u32(b, 20);
    if (w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
      throw new ImageDecodeException("declares an impossible size " + w + "x" + h + "; at most 50 megapixels are accepted");
    }
    return new Header(InputImage.Format.PNG, (int) w, (int) h);
  }

  /** Walks the JPEG markers to the first start-of-frame, which holds the size. */
  private static Header jpegHeader(byte[] b) throws ImageDecodeException {
    int i = 2;
    while (i + 4 <= b.length) {
      if ((b[i] & 0xff) != 0xff) throw new ImageDecodeException("is a corrupt JPEG (bad marker)");
      int marker = b[i + 1] & 0xff;
      if (marker == 0xff) {
        i++;
        continue;
      }
      if (marker == 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker == 0x01) {
        i += 2;
        continue;
      }
      int len = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
      boolean sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
      if (sof) {
        if (i + 9 > b.length) break;
        int h = ((b[i + 5] & 0xff) << 8) | (b[i + 6] & 0xff);
        int w = ((b[i + 7] & 0xff) << 8) | (b[i + 8] & 0xff);
        return new Header(InputImage.Format.JPEG, w, h);
      }
      if (marker == 0xda || marker == 0xd9 || len < 2) break;
      i += 2 + len;
    }
    throw new ImageDecodeException("is a truncated or corrupt JPEG (no frame header)");
  }

  public static BufferedImage decode(InputImage image) throws ImageDecodeException {
    Header header = inspect(image.bytes());
    BufferedImage raw = read(image.bytes(), header.format());
    int orientation = header.format() == InputImage.Format.JPEG ? Exif.orientation(image.bytes()) : 1;
    return toBgr(raw, orientation);
  }

  private static BufferedImage read(byte[] bytes, InputImage.Format format) throws ImageDecodeException {
    ImageReader reader = reader(format);
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(in, true, true);
      String[] warning = {null};
      reader.addIIOReadWarningListener((IIOReadWarningListener) (src, msg) -> warning[0] = msg);
      BufferedImage img = reader.read(0);
      if (warning[0] != null) throw new ImageDecodeException("is a damaged " + format + " image: " + warning[0]);
      return img;
    } catch (IOException | RuntimeException e) {
      throw new ImageDecodeException("is a corrupt or truncated " + format + " image: " + e.getMessage());
    } finally {
      reader.dispose();
    }
  }

  private static ImageReader reader(InputImage.Format format) throws ImageDecodeException {
    Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format == InputImage.Format.PNG ? "png" : "jpeg");
    ImageReader fallback = null;
    while (it.hasNext()) {
      ImageReader r = it.next();
      if (format == InputImage.Format.JPEG && r.getClass().getName().equals(TWELVEMONKEYS_JPEG)) return r;
      if (format == InputImage.Format.PNG && r.getClass().getName().startsWith("com.sun.imageio.plugins.png")) return r;
      if (fallback == null) fallback = r;
    }
    if (fallback == null) throw new ImageDecodeException("no " + format + " decoder is available");
    return fallback;
  }

  /**
   * Draws into 8-bit BGR: palette, grey, 16-bit and CMYK sources are converted by Java2D; alpha is
   * composited over black; the EXIF orientation (1–8) is applied.
   */
  static BufferedImage toBgr(BufferedImage src, int orientation) {
    boolean swap = orientation >= 5 && orientation <= 8;
    int w = swap ? src.getHeight() : src.getWidth();
    int h = swap ? src.getWidth() : src.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    g.setTransform(Exif.transform(orientation, src.getWidth(), src.getHeight()));
    g.drawImage(src, 0, 0, null);
    g.dispose();
    return out;
  }

  private static long u32(byte[] b, int at) {
    return ((long) (b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
  }

}
