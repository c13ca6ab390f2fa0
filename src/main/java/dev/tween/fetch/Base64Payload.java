package dev.tween.fetch;

import java.nio.ByteBuffer;
import java.util.Base64;

/** Decodes user-supplied base64 with a size cap checked before decoding and precise complaints. */
final class Base64Payload {
  private Base64Payload() {}

  static byte[] decode(String s, int from, long maxBytes) throws ImageSourceException {
    // Fast path (the JDK's vectorized decoder) when even the raw length cannot exceed the limit; it
    // refuses whitespace, URL-safe and misplaced padding, which the careful pass below then
    // handles.
    byte[] latin1 =
        s.length() > from && (s.length() - from + 3L) / 4 * 3 <= maxBytes
            ? s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)
            : null;
    // A character outside the BMP is two chars but one '?' byte: then offsets no longer line up,
    // and the careful pass names the character.
    if (latin1 != null && latin1.length == s.length()) {
      try {
        ByteBuffer decoded =
            Base64.getDecoder().decode(ByteBuffer.wrap(latin1, from, latin1.length - from));
        if (decoded.remaining() > 0
            && decoded.hasArray()
            && decoded.arrayOffset() == 0
            && decoded.remaining() == decoded.array().length) {
          return decoded.array();
        }
      } catch (IllegalArgumentException e) {
        // fall through: the careful pass names the problem or accepts what the fast one cannot
      }
    }
    int count = 0;
    int padding = 0;
    boolean standard = false;
    boolean urlSafe = false;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
      if (c == '=') {
        padding++;
        continue;
      }
      boolean alnum = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
      standard |= c == '+' || c == '/';
      urlSafe |= c == '-' || c == '_';
      if (!alnum && c != '+' && c != '/' && c != '-' && c != '_') {
        throw new ImageSourceException(
            "is not valid base64 (unexpected " + describe(c) + " at position " + i + ")");
      }
      if (padding > 0)
        throw new ImageSourceException("is not valid base64 ('=' padding before the end)");
      count++;
    }
    if (count == 0) throw new ImageSourceException("contains no image data");
    if (standard && urlSafe)
      throw new ImageSourceException(
          "is not valid base64 (mixes the standard and URL-safe alphabets)");
    if (padding > 2 || padding > 0 && (count + padding) % 4 != 0 || count % 4 == 1) {
      throw new ImageSourceException("is not valid base64 (wrong length or padding)");
    }
    checkSize(count, maxBytes);
    byte[] clean = new byte[count];
    int n = 0;
    for (int i = from; i < s.length() && n < count; i++) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '=') clean[n++] = (byte) c;
    }
    try {
      return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(clean);
    } catch (IllegalArgumentException e) {
      throw new ImageSourceException("is not valid base64 (" + e.getMessage() + ")");
    }
  }

  /**
   * Refuses, from the number of base64 characters alone, data that would decode to more than
   * maxBytes.
   */
  static void checkSize(long base64Chars, long maxBytes) throws ImageSourceException {
    long decoded = base64Chars / 4 * 3L + Math.max(0, base64Chars % 4 - 1);
    if (decoded > maxBytes) {
      throw new ImageSourceException(
          "decodes to " + decoded + " bytes; at most " + maxBytes + " (20 MiB) are accepted");
    }
  }

  private static String describe(char c) {
    if (c == ':') return "':'";
    if (c < 0x20 || c > 0x7e) return String.format("character U+%04X", (int) c);
    return "'" + c + "'";
  }

  /** A short, printable piece of user input for a message. */
  static String excerpt(String s) {
    if (s == null) return "";
    String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() <= 40 ? printable : printable.substring(0, 40) + "…";
  }
}
