package dev.tween.api;

import java.util.Optional;

/** One satisfiable byte range of a {@code Range: bytes=...} header (RFC 9110 §14). */
record ByteRange(long start, long endInclusive) {

  long length() {
    return endInclusive - start + 1;
  }

  /**
   * The range to serve for {@code header} on a blob of {@code size} bytes: empty means "send it
   * all" (no header, several ranges, or a syntax we ignore as the RFC allows); an unsatisfiable
   * range throws.
   */
  static Optional<ByteRange> parse(String header, long size) {
    if (header == null || !header.startsWith("bytes=") || header.contains(","))
      return Optional.empty();
    String spec = header.substring(6).strip();
    int dash = spec.indexOf('-');
    if (dash < 0) return Optional.empty();
    try {
      String a = spec.substring(0, dash).strip();
      String b = spec.substring(dash + 1).strip();
      long start;
      long end;
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        if (suffix <= 0) throw unsatisfiable(size);
        start = Math.max(0, size - suffix);
        end = size - 1;
      } else {
        start = Long.parseLong(a);
        long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
        if (last < start)
          return Optional.empty(); // syntactically invalid: ignored, as the RFC allows
        end = Math.min(last, size - 1);
      }
      if (start >= size) throw unsatisfiable(size);
      return Optional.of(new ByteRange(start, end));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static ApiException unsatisfiable(long size) {
    return new ApiException(
        416,
        "RANGE_NOT_SATISFIABLE",
        "the requested range is outside the " + size + " bytes of the video",
        java.util.Map.of("size", size));
  }
}
