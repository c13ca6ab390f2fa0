package dev.tween.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Test images built in code: encoded by the JDK writers or assembled byte by byte. */
final class Fixtures {
  private Fixtures() {}

  static byte[] write(BufferedImage img, String format) {
    var out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, format, out))
        throw new IllegalStateException("no writer for " + format);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** An RGB image whose top-left 4×4 block is pure red and the rest blue. */
  static BufferedImage redCorner(int w, int h) {
    var img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) img.setRGB(x, y, x < 4 && y < 4 ? 0xff0000 : 0x0000ff);
    }
    return img;
  }

  static byte[] png16(int w, int h, int bands) {
    ColorSpace cs = ColorSpace.getInstance(bands >= 3 ? ColorSpace.CS_sRGB : ColorSpace.CS_GRAY);
    boolean alpha = bands == 2 || bands == 4;
    ColorModel cm =
        new ComponentColorModel(
            cs,
            alpha,
            false,
            alpha ? ColorModel.TRANSLUCENT : ColorModel.OPAQUE,
            DataBuffer.TYPE_USHORT);
    WritableRaster r = cm.createCompatibleWritableRaster(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[] px = new int[bands];
        Arrays.fill(px, 0x8080); // mid gray, opaque-ish
        if (alpha) px[bands - 1] = 0xffff;
        r.setPixel(x, y, px);
      }
    }
    return write(new BufferedImage(cm, r, false, null), "png");
  }

  /** Two palette entries: opaque green and fully transparent black. */
  static byte[] palettePng() {
    var cm =
        new IndexColorModel(
            8,
            2,
            new byte[] {0, 0},
            new byte[] {(byte) 255, 0},
            new byte[] {0, 0},
            new byte[] {(byte) 255, 0});
    var img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED, cm);
    for (int y = 0; y < 8; y++)
      for (int x = 0; x < 8; x++) img.getRaster().setSample(x, y, 0, x < 4 ? 0 : 1);
    return write(img, "png");
  }

  static byte[] grayPng(int value) {
    var img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 4; y++)
      for (int x = 0; x < 4; x++) img.getRaster().setSample(x, y, 0, value);
    return write(img, "png");
  }

  /**
   * A 4-component JPEG written from a raw CMYK raster, with an Adobe APP14 marker saying "no
   * transform".
   */
  static byte[] cmykJpeg(int w, int h, int c, int m, int yellow, int k) throws IOException {
    WritableRaster raster =
        WritableRaster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++) raster.setPixel(x, y, new int[] {c, m, yellow, k});
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    var out = new ByteArrayOutputStream();
    try (var ios = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.write(null, new IIOImage(raster, null, null), null);
    } finally {
      writer.dispose();
    }
    byte[] adobe = {
      (byte) 0xff, (byte) 0xee, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0
    };
    return insertAfterSoi(stripApp(out.toByteArray()), adobe);
  }

  /** Adds an APP1 Exif segment (big-endian TIFF, IFD0 with one Orientation entry). */
  static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    ByteBuffer tiff = ByteBuffer.allocate(6 + 8 + 2 + 12 + 4);
    tiff.put("Exif\0\0".getBytes()).put(new byte[] {'M', 'M', 0, 42}).putInt(8);
    tiff.putShort((short) 1)
        .putShort((short) 0x0112)
        .putShort((short) 3)
        .putInt(1)
        .putShort((short) orientation)
        .putShort((short) 0)
        .putInt(0);
    byte[] body = tiff.array();
    byte[] seg = new byte[4 + body.length];
    seg[0] = (byte) 0xff;
    seg[1] = (byte) 0xe1;
    seg[2] = (byte) ((body.length + 2) >> 8);
    seg[3] = (byte) (body.length + 2);
    System.arraycopy(body, 0, seg, 4, body.length);
    return insertAfterSoi(jpeg, seg);
  }

  static byte[] insertAfterSoi(byte[] jpeg, byte[] segment) {
    byte[] out = new byte[jpeg.length + segment.length];
    System.arraycopy(jpeg, 0, out, 0, 2);
    System.arraycopy(segment, 0, out, 2, segment.length);
    System.arraycopy(jpeg, 2, out, 2 + segment.length, jpeg.length - 2);
    return out;
  }

  /** Drops a leading JFIF APP0 so the Adobe marker decides the color space. */
  private static byte[] stripApp(byte[] jpeg) {
    if ((jpeg[2] & 0xff) == 0xff && (jpeg[3] & 0xff) == 0xe0) {
      int len = (jpeg[4] & 0xff) << 8 | jpeg[5] & 0xff;
      byte[] out = new byte[jpeg.length - 2 - len];
      System.arraycopy(jpeg, 0, out, 0, 2);
      System.arraycopy(jpeg, 4 + len, out, 2, jpeg.length - 4 - len);
      return out;
    }
    return jpeg;
  }

  /** Signature + IHDR claiming the given size (and nothing else): a decompression-bomb header. */
  static byte[] pngHeader(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(8 + 25);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
    b.putInt(13)
        .put("IHDR".getBytes())
        .putInt(w)
        .putInt(h)
        .put((byte) 8)
        .put((byte) 2)
        .put((byte) 0)
        .put((byte) 0)
        .put((byte) 0);
    var crc = new CRC32();
    crc.update(b.array(), 12, 17);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /** SOI + baseline SOF0 claiming the given size (and nothing else). */
  static byte[] jpegHeader(int w, int h) {
    return new byte[] {
      (byte) 0xff,
      (byte) 0xd8,
      (byte) 0xff,
      (byte) 0xc0,
      0,
      17,
      8,
      (byte) (h >> 8),
      (byte) h,
      (byte) (w >> 8),
      (byte) w,
      3,
      1,
      0x22,
      0,
      2,
      0x11,
      1,
      3,
      0x11,
      1
    };
  }
}
