package dev.tween.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tween.generate.InputImage;
import dev.tween.testing.Images;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

  static InputImage input(byte[] b) {
    return new InputImage(b, ImageDecoder.sniff(b).orElse(InputImage.Format.PNG));
  }

  static long allocatedBy(Runnable r) {
    var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = bean.getThreadAllocatedBytes(Thread.currentThread().threadId());
    r.run();
    return bean.getThreadAllocatedBytes(Thread.currentThread().threadId()) - before;
  }

  /** A valid PNG signature + IHDR declaring w × h, followed by a tiny (bogus) IDAT. */
  static byte[] pngBomb(int w, int h) throws Exception {
    var out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
    byte[] ihdr = {'I', 'H', 'D', 'R', (byte) (w >>> 24), (byte) (w >>> 16), (byte) (w >>> 8), (byte) w,
        (byte) (h >>> 24), (byte) (h >>> 16), (byte) (h >>> 8), (byte) h, 8, 2, 0, 0, 0};
    out.write(new byte[] {0, 0, 0, 13});
    out.write(ihdr);
    CRC32 crc = new CRC32();
    crc.update(ihdr);
    long c = crc.getValue();
    out.write(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
    out.write(new byte[] {0, 0, 0, 2, 'I', 'D', 'A', 'T', 0x78, 0x01, 0, 0, 0, 0});
    return out.toByteArray();
  }

  /** A real small JPEG whose SOF0 is rewritten to declare w × h. */
  static byte[] jpegBomb(int w, int h) {
    byte[] b = Images.jpeg(64, 48, 0);
    for (int i = 2; i + 9 < b.length; i++) {
      if ((b[i] & 0xff) == 0xff && (b[i + 1] & 0xff) == 0xc0) {
        b[i + 5] = (byte) (h >>> 8);
        b[i + 6] = (byte) h;
        b[i + 7] = (byte) (w >>> 8);
        b[i + 8] = (byte) w;
        return b;
      }
    }
    throw new AssertionError("no SOF0");
  }

  @Test
  void decompressionBombsAreRefusedFromTheHeaderWithBoundedMemory() throws Exception {
    byte[] png = pngBomb(100_000, 100_000);
    byte[] jpeg = jpegBomb(65_500, 65_500);
    long allocated = allocatedBy(() -> {
      assertThatThrownBy(() -> ImageDecoder.decode(input(png))).isInstanceOf(ImageDecodeException.class)
          .hasMessageContaining("100000x100000").hasMessageContaining("50 megapixels");
      assertThatThrownBy(() -> ImageDecoder.decode(input(jpeg))).isInstanceOf(ImageDecodeException.class)
          .hasMessageContaining("65500x65500");
    });
    assertThat(allocated).as("bytes allocated while refusing both").isLessThan(8L * 1024 * 1024);
  }

  @Test
  void decodesToBgrAtTheDeclaredSize() throws Exception {
    BufferedImage img = ImageDecoder.decode(input(Images.png(64, 36, 0)));
    assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_3BYTE_BGR);
    assertThat(img.getWidth()).isEqualTo(64);
    assertThat(ImageDecoder.inspect(Images.jpeg(80, 20, 0))).isEqualTo(new ImageDecoder.Header(InputImage.Format.JPEG, 80, 20));
  }

  @Test
  void sixteenBitGreyAndPalettePngsAreConverted() throws Exception {
    var grey16 = new BufferedImage(40, 30, BufferedImage.TYPE_USHORT_GRAY);
    grey16.getRaster().setSample(5, 5, 0, 65535);
    BufferedImage g = ImageDecoder.decode(input(Images.encode(grey16, "png")));
    assertThat(g.getRGB(5, 5) & 0xffffff).isEqualTo(0xffffff);

    byte[] r = {0, (byte) 255};
    byte[] gr = {0, 0};
    byte[] bl = {0, 0};
    var palette = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(1, 2, r, gr, bl));
    palette.getRaster().setSample(1, 1, 0, 1);
    BufferedImage p = ImageDecoder.decode(input(Images.encode(palette, "png")));
    assertThat(p.getRGB(1, 1) & 0xffffff).isEqualTo(0xff0000);
  }

  @Test
  void exifOrientationIsApplied() throws Exception {
    byte[] jpeg = Images.jpeg(80, 40, 0);
    byte[] rotated = withOrientation(jpeg, 6);
    assertThat(Exif.orientation(rotated)).isEqualTo(6);
    BufferedImage upright = ImageDecoder.decode(input(rotated));
    assertThat(upright.getWidth()).isEqualTo(40);
    assertThat(upright.getHeight()).isEqualTo(80);
    assertThat(ImageDecoder.decode(input(jpeg)).getWidth()).isEqualTo(80);
  }

  @Test
  void truncatedAndForeignFormatsAreClearErrors() throws Exception {
    byte[] jpeg = Images.jpeg(200, 100, 0);
    byte[] png = Images.png(200, 100, 0);
    assertThatThrownBy(() -> ImageDecoder.decode(input(Arrays.copyOf(jpeg, jpeg.length / 2))))
        .isInstanceOf(ImageDecodeException.class);
    assertThatThrownBy(() -> ImageDecoder.decode(input(Arrays.copyOf(png, png.length / 2))))
        .isInstanceOf(ImageDecodeException.class);
    var gif = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "gif", gif);
    var bmp = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "bmp", bmp);
    for (byte[] other : new byte[][] {gif.toByteArray(), bmp.toByteArray(), "RIFF....WEBPVP8 ".getBytes(), new byte[0]}) {
      assertThatThrownBy(() -> ImageDecoder.inspect(other)).isInstanceOf(ImageDecodeException.class)
          .hasMessageContaining("not a JPEG or PNG");
    }
  }

  /** Inserts an EXIF APP1 block with the orientation tag right after SOI. */
  static byte[] withOrientation(byte[] jpeg, int orientation) {
    byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, 0, 0, 0, 0};
    byte[] exifHeader = {'E', 'x', 'i', 'f', 0, 0};
    int len = 2 + exifHeader.length + tiff.length;
    var out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.write(0xff);
    out.write(0xe1);
    out.write(len >>> 8);
    out.write(len & 0xff);
    out.writeBytes(exifHeader);
    out.writeBytes(tiff);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }
}
