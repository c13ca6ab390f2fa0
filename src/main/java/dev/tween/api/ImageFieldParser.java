package dev.tween.api;

import dev.tween.api.Submission.ImageInput;
import dev.tween.generate.InputImage;
import dev.tween.fetch.AddressPolicy;
import dev.tween.fetch.FetchException;
import dev.tween.fetch.SafeHttp;
import dev.tween.image.ImageDecodeException;
import dev.tween.image.ImageDecoder;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reads an image field: an http(s) URL, a {@code data:image/...;base64,} URI, or bare base64. */
final class ImageFieldParser {
  private final AddressPolicy addresses;

  ImageFieldParser(AddressPolicy addresses) {
    this.addresses = addresses;
  }

  static final int MAX_IMAGE_BYTES = 20 * 1024 * 1024;
  private static final Pattern DATA_URI = Pattern.compile("^data:image/[A-Za-z0-9.+-]+;base64,", Pattern.CASE_INSENSITIVE);

  ImageInput parse(String field, String value) {
    String v = value.strip();
    if (v.isEmpty()) throw ApiException.invalid(field, "must not be empty");
    String lower = v.substring(0, Math.min(v.length(), 12)).toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) return new ImageInput.Remote(url(field, v));
    String payload;
    if (lower.startsWith("data:")) {
      var m = DATA_URI.matcher(v);
      if (!m.find()) throw ApiException.invalid(field, "data URI must look like data:image/png;base64,<data>");
      payload = v.substring(m.end());
    } else if (lower.matches("^[a-z][a-z0-9+.-]*:.*")) {
      throw ApiException.invalid(field, "only http and https URLs are accepted");
    } else {
      payload = v;
    }
    byte[] bytes = base64(field, payload);
    return new ImageInput.Inline(image(field, bytes));
  }

  static InputImage image(String field, byte[] bytes) {
    if (bytes.length > MAX_IMAGE_BYTES) {
      throw ApiException.invalid(field, "image is " + bytes.length + " bytes; at most 20 MB (20971520 bytes) are accepted");
    }
    try {
      return new InputImage(bytes, ImageDecoder.inspect(bytes).format());
    } catch (ImageDecodeException e) {
      throw ApiException.invalid(field, "must be a JPEG or PNG image of at most 50 megapixels; this one " + e.getMessage());
    }
  }

  private URI url(String field, String v) {
    URI u;
    try {
      u = new URI(v);
    } catch (URISyntaxException e) {
      throw ApiException.invalid(field, "is not a valid URL: " + e.getReason());
    }
    try {
      SafeHttp.precheck(u, addresses);
    } catch (FetchException e) {
      throw ApiException.invalid(field, e.getMessage());
    }
    return u;
  }

  private static byte[] base64(String field, String payload) {
    // Encoded size bounds decoded size; refuse before decoding a huge string.
    if (payload.length() > MAX_IMAGE_BYTES / 3 * 4 + 4096 + payload.length() / 76 * 2) {
      throw ApiException.invalid(field, "image is larger than 20 MB (20971520 bytes) once decoded");
    }
    try {
      return Base64.getMimeDecoder().decode(payload);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(field, "is neither an http(s) URL nor valid base64 data: " + e.getMessage());
    }
  }
}
