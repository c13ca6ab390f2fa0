package dev.tween.worker;

/**
 * Where an attempt's time went, for its end-of-task log line: reading the inputs, generating,
 * storing the samples, the poster, and the write that ends it. Elapsed time only (a monotonic
 * clock), never a decision.
 */
final class Phases {
  private final long start = System.nanoTime();
  private long inputs;
  private long generate;
  private long store;
  private long poster;

  void inputsDone() {
    inputs = System.nanoTime();
  }

  void generateDone() {
    generate = System.nanoTime();
  }

  void storeDone() {
    store = System.nanoTime();
  }

  void posterDone() {
    poster = System.nanoTime();
  }

  /** {@code inputs_ms=… generate_ms=… store_ms=… poster_ms=… write_ms=…}, as far as it got. */
  String fields() {
    long end = System.nanoTime();
    var out = new StringBuilder();
    long from = start;
    String[] names = {"inputs_ms", "generate_ms", "store_ms", "poster_ms"};
    long[] marks = {inputs, generate, store, poster};
    for (int i = 0; i < marks.length && marks[i] != 0; i++) {
      out.append(names[i]).append('=').append((marks[i] - from) / 1_000_000).append(' ');
      from = marks[i];
    }
    return out.append("write_ms=").append((end - from) / 1_000_000).toString();
  }
}
