package dev.tween.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import okhttp3.HttpUrl;

/**
 * Where an input image comes from, as the API's image field says: an http(s) URL (fetched later by
 * {@link SafeFetcher}), or inline bytes from a {@code data:image/...;base64,} URI or bare base64.
 *
 * <p>Base64 may be standard or URL-safe (not mixed), padded or not, and may contain spaces and line
 * breaks. Inline data may decode to at most {@link #MAX_INLINE_BYTES} (20 MiB, the same limit as a
 * download); the size is checked from the encoded length before anything is decoded.
 */
public sealed interface ImageSource {
  long MAX_INLINE_BYTES = FetchPolicy.MAX_IMAGE_BYTES;

  record Url(URI uri) implements ImageSource {}

  /** The decoded bytes; not yet known to be an image (see {@code ImageDecoder.inspect}). */
  record Inline(byte[] bytes) implements ImageSource {
    @Override
    public String toString() {
      return "Inline[" + bytes.length + " bytes]";
    }
  }

  /**
   * Refuses inline data of {@code base64Chars} base64 characters (whitespace and padding not
   * counted) that would decode to more than {@link #MAX_INLINE_BYTES}, before anything is decoded
   * or even copied; the same rule and message as {@link #parse(String)}.
   */
  static void checkInlineSize(long base64Chars) throws ImageSourceException {
    Base64Payload.checkSize(base64Chars, MAX_INLINE_BYTES);
  }

  /**
   * Parses the field's text; URLs are checked for syntax only (see {@link #parse(String,
   * AddressPolicy)}).
   */
  static ImageSource parse(String value) throws ImageSourceException {
    if (value == null || value.isBlank()) throw new ImageSourceException("must not be empty");
    String v = value.strip();
    int colon = schemeEnd(v);
    if (colon < 0) return new Inline(Base64Payload.decode(v, 0, MAX_INLINE_BYTES));
    String scheme = v.substring(0, colon).toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "http", "https" -> new Url(url(v));
      case "data" -> new Inline(Base64Payload.decode(v, dataPayloadStart(v), MAX_INLINE_BYTES));
      default ->
          throw new ImageSourceException(
              "URL scheme '"
                  + Base64Payload.excerpt(scheme)
                  + "' is not accepted; use an http(s) URL, a data:image/...;base64, URI or base64 data");
    };
  }

  /** Also refuses, without network I/O, URLs whose host is a refused address or a local name. */
  static ImageSource parse(String value, AddressPolicy addresses) throws ImageSourceException {
    ImageSource source = parse(value);
    if (source instanceof Url u) {
      try {
        SafeHttp.precheck(u.uri(), addresses);
      } catch (FetchException e) {
        throw new ImageSourceException(e.getMessage());
      }
    }
    return source;
  }

  /** Index of the colon ending a URI scheme at the start, or -1 (base64 never contains a colon). */
  private static int schemeEnd(String v) {
    int colon = v.indexOf(':');
    if (colon <= 0 || colon > 32) return colon > 0 ? colon : -1;
    for (int i = 0; i < colon; i++) {
      char c = v.charAt(i);
      boolean ok =
          c >= 'a' && c <= 'z'
              || c >= 'A' && c <= 'Z'
              || i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.');
      if (!ok) return -1;
    }
    return colon;
  }

  private static URI url(String v) throws ImageSourceException {
    URI uri;
    try {
      uri = new URI(v);
    } catch (URISyntaxException e) {
      throw new ImageSourceException(
          "is not a valid URL (" + Base64Payload.excerpt(e.getReason()) + ")");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty())
      throw new ImageSourceException("URL has no valid host name");
    if (uri.getRawUserInfo() != null)
      throw new ImageSourceException("URL must not contain user credentials");
    if (HttpUrl.parse(v) == null) throw new ImageSourceException("is not a valid http(s) URL");
    return uri;
  }

  private static int dataPayloadStart(String v) throws ImageSourceException {
    int comma = v.indexOf(',');
    String form = "data URI must have the form data:image/<type>;base64,<data>";
    if (comma < 0) throw new ImageSourceException(form);
    String header = v.substring(5, comma).toLowerCase(Locale.ROOT);
    if (!header.startsWith("image/")) {
      throw new ImageSourceException("data URI media type must be image/... (" + form + ")");
    }
    if (!header.endsWith(";base64"))
      throw new ImageSourceException("data URI must be base64-encoded (" + form + ")");
    return comma + 1;
  }
}
