package dev.tween.image;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import dev.tween.generate.InputImage;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;

/**
 * The two readers tween trusts, picked by name: probing every registered reader ({@code
 * ImageIO.read}) would also hand hostile bytes to BMP, TIFF, GIF... readers.
 */
final class Readers {
  private static final String JDK_PNG_SPI = "com.sun.imageio.plugins.png.PNGImageReaderSpi";

  private Readers() {}

  static ImageReader create(InputImage.Format format) throws IOException {
    return switch (format) {
      case JPEG -> jpegSpi().createReaderInstance(null);
      case PNG -> pngSpi().createReaderInstance(null);
    };
  }

  private static ImageReaderSpi jpegSpi() {
    IIORegistry registry = IIORegistry.getDefaultInstance();
    JPEGImageReaderSpi spi = registry.getServiceProviderByClass(JPEGImageReaderSpi.class);
    if (spi == null) {
      registry.registerServiceProvider(new JPEGImageReaderSpi(), ImageReaderSpi.class);
      spi = registry.getServiceProviderByClass(JPEGImageReaderSpi.class);
    }
    return spi;
  }

  private static ImageReaderSpi pngSpi() {
    Iterator<ImageReaderSpi> all =
        IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, false);
    while (all.hasNext()) {
      ImageReaderSpi spi = all.next();
      if (spi.getClass().getName().equals(JDK_PNG_SPI)) return spi;
    }
    throw new IllegalStateException("the JDK PNG reader is not available");
  }
}
