package dev.tween.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tween.generate.InputImage;
import dev.tween.generate.InputImage.Format;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {

  static BufferedImage decode(byte[] bytes) throws ImageDecodeException {
    return ImageDecoder.decode(new InputImage(bytes, ImageDecoder.sniff(bytes).orElse(Format.PNG)));
  }

  static int rgb(BufferedImage img, int x, int y) {
    return img.getRGB(x, y) & 0xffffff;
  }

  /** Heap allocated by this thread while running the action (HotSpot's per-thread counter). */
  static long allocatedBy(ThrowingRunnable action) {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    long before = mx.getThreadAllocatedBytes(id);
    try {
      action.run();
    } catch (Exception ignored) {
      // the caller asserts the exception separately
    }
    return mx.getThreadAllocatedBytes(id) - before;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void bombHeadersAreRefusedBeforeAnyPixelIsAllocated() {
    byte[] png = Fixtures.pngHeader(100_000, 100_000);
    byte[] jpeg = Fixtures.jpegHeader(65_500, 65_500);
    for (byte[] bomb : new byte[][] {png, jpeg}) {
      assertThatThrownBy(() -> decode(bomb))
          .isInstanceOf(ImageDecodeException.class)
          .hasMessageContaining("megapixels");
      assertThatThrownBy(() -> ImageDecoder.inspect(bomb))
          .hasMessageContaining("at most 50 megapixels");
      allocatedBy(() -> decode(bomb)); // warm-up: class loading allocates
      assertThat(allocatedBy(() -> decode(bomb)))
          .as("bytes allocated refusing a bomb")
          .isLessThan(4L << 20);
    }
  }

  @Test
  void theLimitIsConfigurable() throws Exception {
    byte[] png = Fixtures.write(Fixtures.redCorner(100, 100), "png");
    assertThat(ImageDecoder.inspect(png, 10_000).pixels()).isEqualTo(10_000);
    assertThatThrownBy(() -> ImageDecoder.inspect(png, 9_999)).hasMessageContaining("100x100");
  }

  @Test
  void jpegAndPngDecodeToBgr() throws Exception {
    for (String fmt : new String[] {"png", "jpeg"}) {
      byte[] bytes = Fixtures.write(Fixtures.redCorner(40, 20), fmt);
      BufferedImage img = decode(bytes);
      assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_3BYTE_BGR);
      assertThat(img.getWidth()).isEqualTo(40);
      assertThat(img.getHeight()).isEqualTo(20);
      assertThat(ImageDecoder.inspect(bytes))
          .isEqualTo(new ImageDecoder.Header(Format.valueOf(fmt.toUpperCase()), 40, 20));
      assertThat(rgb(img, 1, 1) >> 16).as(fmt + " red corner").isGreaterThan(200);
      assertThat(rgb(img, 30, 15) & 0xff).as(fmt + " blue body").isGreaterThan(200);
    }
  }

  @Test
  void exifOrientationSixIsRotatedClockwise() throws Exception {
    byte[] jpeg =
        Fixtures.withExifOrientation(Fixtures.write(Fixtures.redCorner(40, 20), "jpeg"), 6);
    assertThat(ImageDecoder.inspect(jpeg)).isEqualTo(new ImageDecoder.Header(Format.JPEG, 20, 40));
    BufferedImage img = decode(jpeg);
    assertThat(img.getWidth()).isEqualTo(20);
    assertThat(img.getHeight()).isEqualTo(40);
    // The stored top-left corner is shown at the top-right once turned 90° clockwise.
    assertThat(rgb(img, 18, 1) >> 16).isGreaterThan(200);
    assertThat(rgb(img, 1, 1) >> 16).isLessThan(60);
  }

  @Test
  void everyOrientationKeepsTheRedCornerWhereExifSaysItGoes() throws Exception {
    int[][] corner = {null, {0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}, {1, 0}, {1, 1}, {0, 1}};
    for (int o = 1; o <= 8; o++) {
      BufferedImage img =
          decode(
              Fixtures.withExifOrientation(Fixtures.write(Fixtures.redCorner(40, 24), "jpeg"), o));
      int x = corner[o][0] == 0 ? 1 : img.getWidth() - 2;
      int y = corner[o][1] == 0 ? 1 : img.getHeight() - 2;
      assertThat(rgb(img, x, y) >> 16).as("orientation " + o).isGreaterThan(200);
    }
  }

  @Test
  void cmykJpegIsConvertedToRgb() throws Exception {
    // Adobe CMYK JPEGs store inverted ink values: 0 is full ink. Full cyan, nothing else:
    byte[] cyan = Fixtures.cmykJpeg(16, 16, 0, 255, 255, 255);
    BufferedImage img = decode(cyan);
    assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_3BYTE_BGR);
    int p = rgb(img, 8, 8);
    assertThat(p >> 16).as("red of cyan").isLessThan(100);
    assertThat(p & 0xff).as("blue of cyan").isGreaterThan(150);
  }

  @Test
  void sixteenBitPngsBecomeEightBit() throws Exception {
    for (int bands : new int[] {1, 2, 3, 4}) {
      BufferedImage img = decode(Fixtures.png16(6, 5, bands));
      assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_3BYTE_BGR);
      assertThat(rgb(img, 3, 3)).as(bands + " bands").isEqualTo(0x808080);
    }
  }

  @Test
  void grayIsTakenAsStoredAndPaletteAlphaIsCompositedOnWhite() throws Exception {
    assertThat(rgb(decode(Fixtures.grayPng(100)), 1, 1)).isEqualTo(0x646464);
    BufferedImage palette = decode(Fixtures.palettePng());
    assertThat(rgb(palette, 1, 1)).isEqualTo(0x00ff00);
    assertThat(rgb(palette, 6, 1)).as("transparent → white").isEqualTo(0xffffff);
  }

  @Test
  void truncatedImagesAreRefusedWithAClearMessage() {
    byte[] jpeg = Fixtures.write(Fixtures.redCorner(64, 64), "jpeg");
    byte[] png = Fixtures.write(Fixtures.redCorner(64, 64), "png");
    for (int cut : new int[] {3, 30, 200}) {
      assertThatThrownBy(() -> decode(Arrays.copyOf(jpeg, Math.min(cut, jpeg.length - 2))))
          .isInstanceOf(ImageDecodeException.class)
          .hasMessageContaining("JPEG")
          .hasMessageContaining("truncated");
    }
    assertThatThrownBy(() -> decode(Arrays.copyOf(jpeg, jpeg.length / 2)))
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> decode(Arrays.copyOf(png, png.length / 2)))
        .hasMessageContaining("is a truncated PNG");
    assertThatThrownBy(() -> decode(Arrays.copyOf(png, 20))).hasMessageContaining("PNG");
  }

  @Test
  void corruptPixelDataIsADecodeException() {
    byte[] png = Fixtures.write(Fixtures.redCorner(64, 64), "png");
    byte[] bad = png.clone();
    for (int i = 60; i < bad.length - 20; i++)
      bad[i] ^= 0x5a; // scramble IDAT, keep the chunk frame
    assertThatThrownBy(() -> decode(bad))
        .isInstanceOf(ImageDecodeException.class)
        .hasMessageContaining("PNG");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gif", "bmp"})
  void otherFormatsAreRefusedByName(String format) {
    byte[] bytes = Fixtures.write(Fixtures.redCorner(8, 8), format);
    assertThatThrownBy(() -> decode(bytes))
        .hasMessageContaining(format.toUpperCase())
        .hasMessageContaining("not a JPEG or PNG");
  }

  @Test
  void webpAndTextAreRefused() {
    byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> ImageDecoder.inspect(webp)).hasMessageContaining("WebP");
    assertThatThrownBy(() -> decode("<svg/>".getBytes())).hasMessageContaining("not a JPEG or PNG");
    assertThatThrownBy(() -> decode(new byte[0])).hasMessageContaining("empty");
  }

  @Test
  void theBytesDecideNotTheDeclaredFormat() throws Exception {
    byte[] png = Fixtures.write(Fixtures.redCorner(8, 8), "png");
    assertThat(ImageDecoder.decode(new InputImage(png, Format.JPEG)).getWidth()).isEqualTo(8);
  }

  @Test
  void tooManyScansAndExoticCodingsAreRefusedFromTheHeader() {
    var b = new java.io.ByteArrayOutputStream();
    b.writeBytes(Fixtures.jpegHeader(16, 16));
    byte[] sos = {(byte) 0xff, (byte) 0xda, 0, 8, 1, 1, 0, 0, 63, 0, 0x55};
    for (int i = 0; i < JpegHeader.MAX_SCANS + 1; i++) b.writeBytes(sos);
    b.writeBytes(new byte[] {(byte) 0xff, (byte) 0xd9});
    assertThatThrownBy(() -> ImageDecoder.inspect(b.toByteArray()))
        .hasMessageContaining("more than 200 scans");
    byte[] lossless = Fixtures.jpegHeader(16, 16);
    lossless[3] = (byte) 0xc3;
    assertThatThrownBy(() -> ImageDecoder.inspect(lossless))
        .hasMessageContaining("unsupported coding");
  }

  @Test
  void aRealJpegWhoseFrameHeaderClaimsABombIsRefused() {
    byte[] b = dev.tween.testing.Images.jpeg(64, 48, 0);
    for (int i = 2; i + 9 < b.length; i++) {
      if ((b[i] & 0xff) == 0xff && (b[i + 1] & 0xff) == 0xc0) {
        b[i + 5] = b[i + 6] = b[i + 7] = b[i + 8] = (byte) 0xff;
        break;
      }
    }
    assertThatThrownBy(() -> decode(b)).hasMessageContaining("65535x65535");
  }

  @Test
  void oneBitPaletteAndSixteenBitWhiteAreConverted() throws Exception {
    var grey16 = new BufferedImage(40, 30, BufferedImage.TYPE_USHORT_GRAY);
    grey16.getRaster().setSample(5, 5, 0, 65535);
    assertThat(rgb(decode(Fixtures.write(grey16, "png")), 5, 5)).isEqualTo(0xffffff);
    var cm =
        new java.awt.image.IndexColorModel(
            1, 2, new byte[] {0, (byte) 255}, new byte[2], new byte[2]);
    var palette = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_BINARY, cm);
    palette.getRaster().setSample(1, 1, 0, 1);
    BufferedImage p = decode(Fixtures.write(palette, "png"));
    assertThat(rgb(p, 1, 1)).isEqualTo(0xff0000);
    assertThat(rgb(p, 2, 1)).isEqualTo(0x000000);
  }
}
