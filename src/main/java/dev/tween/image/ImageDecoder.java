package dev.tween.image;

import dev.tween.generate.InputImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes untrusted JPEG/PNG bytes into an sRGB {@link BufferedImage} (TYPE_3BYTE_BGR).
 *
 * <p>The header is checked before any pixel is decoded: the declared size (refused above {@link
 * #MAX_PIXELS} unless told otherwise), the structure (a truncated file has no end marker), and for
 * JPEG the number of scans. Only the TwelveMonkeys JPEG reader (CMYK/YCCK, ICC profiles) and the
 * JDK PNG reader are used. EXIF orientation is applied; 16-bit, gray, palette and alpha PNGs become
 * 8-bit BGR with transparency composited on white.
 */
public final class ImageDecoder {
  public static final long MAX_PIXELS = 50_000_000L;
  private static final Logger log = LoggerFactory.getLogger(ImageDecoder.class);

  private ImageDecoder() {}

  /**
   * What an image's headers say, read without decoding a pixel.
   *
   * @param width width as displayed (after the EXIF orientation of a JPEG)
   * @param height height as displayed
   */
  public record Header(InputImage.Format format, int width, int height) {
    public long pixels() {
      return (long) width * height;
    }
  }

  /** The format told by the magic bytes, or empty when the bytes are neither JPEG nor PNG. */
  public static Optional<InputImage.Format> sniff(byte[] b) {
    if (b.length >= 8
        && (b[0] & 0xff) == 0x89
        && b[1] == 'P'
        && b[2] == 'N'
        && b[3] == 'G'
        && b[4] == 0x0d
        && b[5] == 0x0a
        && b[6] == 0x1a
        && b[7] == 0x0a) {
      return Optional.of(InputImage.Format.PNG);
    }
    if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
      return Optional.of(InputImage.Format.JPEG);
    }
    return Optional.empty();
  }

  /**
   * Format and displayed size from the headers alone (cheap: no pixel is decoded), after every
   * check {@link #decode} makes before decoding: format, size limit, structure. Messages read after
   * "the image" ("is a truncated PNG").
   */
  public static Header inspect(byte[] bytes) throws ImageDecodeException {
    return inspect(bytes, MAX_PIXELS);
  }

  public static Header inspect(byte[] bytes, long maxPixels) throws ImageDecodeException {
    return parse(bytes, maxPixels).header;
  }

  public static BufferedImage decode(InputImage image) throws ImageDecodeException {
    return decode(image, MAX_PIXELS);
  }

  /** The declared {@link InputImage#format()} is ignored: the bytes decide. */
  public static BufferedImage decode(InputImage image, long maxPixels) throws ImageDecodeException {
    byte[] bytes = image.bytes();
    Parsed parsed = parse(bytes, maxPixels);
    InputImage.Format format = parsed.header.format();
    ImageReader reader = null;
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      reader = Readers.create(format);
      reader.setInput(in, true, format == InputImage.Format.PNG);
      var warnings = new Warnings();
      reader.addIIOReadWarningListener(warnings);
      Limits.check(reader.getWidth(0), reader.getHeight(0), maxPixels);
      BufferedImage raw = reader.read(0, reader.getDefaultReadParam());
      if (warnings.fatal != null) throw corrupt(format, warnings.fatal);
      return Orientation.apply(Pixels.toBgr(raw), parsed.orientation);
    } catch (IOException e) {
      throw corrupt(format, e.getMessage());
    } catch (RuntimeException e) {
      // Readers answer some malformed inputs with unchecked exceptions (array bounds, CMM errors).
      log.debug("event=image_decode_failed format={} error={}", format, e.toString());
      throw corrupt(format, null);
    } finally {
      if (reader != null) reader.dispose();
    }
  }

  private record Parsed(Header header, int orientation) {}

  private static Parsed parse(byte[] bytes, long maxPixels) throws ImageDecodeException {
    var format = sniff(bytes).orElseThrow(() -> new ImageDecodeException(notJpegOrPng(bytes)));
    if (format == InputImage.Format.PNG) {
      var png = PngHeader.read(bytes, maxPixels);
      return new Parsed(new Header(format, png.width, png.height), 1);
    }
    var jpeg = JpegHeader.read(bytes, maxPixels);
    boolean swap = Orientation.swapsAxes(jpeg.orientation);
    return new Parsed(
        new Header(format, swap ? jpeg.height : jpeg.width, swap ? jpeg.width : jpeg.height),
        jpeg.orientation);
  }

  private static ImageDecodeException corrupt(InputImage.Format format, String detail) {
    String base = "is a corrupt or truncated " + format;
    if (detail == null || detail.isBlank()) return new ImageDecodeException(base);
    return new ImageDecodeException(base + " (" + detail.strip().toLowerCase(Locale.ROOT) + ")");
  }

  /** Names the common formats people send by mistake. */
  static String notJpegOrPng(byte[] b) {
    String kind =
        b.length == 0
            ? "is empty"
            : startsWith(b, "GIF8")
                ? "is a GIF image"
                : startsWith(b, "BM")
                    ? "is a BMP image"
                    : startsWith(b, "RIFF")
                            && b.length >= 12
                            && b[8] == 'W'
                            && b[9] == 'E'
                            && b[10] == 'B'
                            && b[11] == 'P'
                        ? "is a WebP image"
                        : startsWith(b, "II*\0") || startsWith(b, "MM\0*")
                            ? "is a TIFF image"
                            : b.length >= 12
                                    && b[4] == 'f'
                                    && b[5] == 't'
                                    && b[6] == 'y'
                                    && b[7] == 'p'
                                ? "is a HEIC/AVIF or MP4 file"
                                : startsWith(b, "<") ? "is text or SVG" : "is of an unknown kind";
    return kind + ", not a JPEG or PNG image (checked from its bytes, not its name)";
  }

  private static boolean startsWith(byte[] b, String prefix) {
    if (b.length < prefix.length()) return false;
    for (int i = 0; i < prefix.length(); i++) if (b[i] != prefix.charAt(i)) return false;
    return true;
  }

  /** libjpeg reports a cut-off scan only as a warning and fills the rest with gray. */
  private static final class Warnings implements IIOReadWarningListener {
    String fatal;

    @Override
    public void warningOccurred(ImageReader source, String warning) {
      if (fatal == null
          && warning != null
          && warning.toLowerCase(Locale.ROOT).contains("premature end")) fatal = warning;
      else log.debug("event=image_decode_warning warning={}", warning);
    }
  }
}
