package dev.tween.bench;

/** RFC 4180 fields for the benches' CSV files. */
final class Csv {
  private Csv() {}

  /** {@code text} as one field: quoted (quotes doubled) when it holds a comma, quote or newline. */
  static String field(String text) {
    if (text.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) return text;
    return '"' + text.replace("\"", "\"\"") + '"';
  }
}
