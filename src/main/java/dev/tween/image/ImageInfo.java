package dev.tween.image;

import dev.tween.generate.InputImage;

/**
 * What an image's headers say, read without decoding a pixel.
 *
 * @param width width as displayed (after the EXIF orientation of a JPEG)
 * @param height height as displayed
 */
public record ImageInfo(InputImage.Format format, int width, int height) {

  public long pixels() {
    return (long) width * height;
  }
}
