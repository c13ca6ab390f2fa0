package dev.tween.api;

import dev.tween.api.Submission.ImageInput;
import dev.tween.fetch.AddressPolicy;
import dev.tween.fetch.ImageSource;
import dev.tween.fetch.ImageSourceException;
import dev.tween.generate.InputImage;
import dev.tween.image.ImageDecodeException;
import dev.tween.image.ImageDecoder;

/**
 * Reads an image field (http(s) URL, {@code data:image/...;base64,} URI, or bare base64) and checks
 * inline bytes from their header: JPEG/PNG, not damaged, at most 50 megapixels. Every refusal is a
 * 400 naming the field.
 */
final class ImageFieldParser {
  private final AddressPolicy addresses;

  ImageFieldParser(AddressPolicy addresses) {
    this.addresses = addresses;
  }

  ImageInput parse(String field, String value) {
    ImageSource source;
    try {
      source = ImageSource.parse(value, addresses);
    } catch (ImageSourceException e) {
      throw ApiException.invalid(field, e.getMessage());
    }
    return switch (source) {
      case ImageSource.Url u -> new ImageInput.Remote(u.uri());
      case ImageSource.Inline i -> new ImageInput.Inline(image(field, i.bytes()));
    };
  }

  private static InputImage image(String field, byte[] bytes) {
    try {
      return new InputImage(bytes, ImageDecoder.inspect(bytes).format());
    } catch (ImageDecodeException e) {
      throw ApiException.invalid(
          field,
          "must be a JPEG or PNG image of at most 50 megapixels; this one " + e.getMessage());
    }
  }
}
