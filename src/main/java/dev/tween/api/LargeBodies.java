package dev.tween.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how many large submit bodies are read and parsed at once. A body of two 20 MB images in
 * base64 is ~54 MiB and costs about twice that in heap while it is parsed; eight of them at once
 * used to push a node's resident memory to 1.9 GB and every answer past 10 s. Further large bodies
 * wait (their bytes stay in the kernel's socket buffers) and after {@link #WAIT} get a 503 with
 * Retry-After. Small bodies (the usual case: URLs, thumbnails) never wait.
 */
final class LargeBodies {
  /** Bodies above this many bytes, or of unknown length, take a permit. */
  static final long LARGE = 1L << 20;

  static final Duration WAIT = Duration.ofSeconds(3);

  private final Semaphore permits;
  private final int count;

  LargeBodies(int count) {
    this.count = count;
    this.permits = new Semaphore(count, true);
  }

  /**
   * As many permits as the heap holds maximum-size bodies six times over (a body, its two image
   * strings, their decoded bytes, and room for the rest of the node), at least 1 and at most one
   * per core: parsing is CPU work, so more at once only adds memory. With the launcher's 1 GiB
   * heap: 2.
   */
  static LargeBodies forHeap(long maxBodyBytes) {
    long n = Runtime.getRuntime().maxMemory() / (6 * Math.max(maxBodyBytes, LARGE));
    return new LargeBodies(
        (int) Math.clamp(n, 1, Math.max(1, Runtime.getRuntime().availableProcessors())));
  }

  int count() {
    return count;
  }

  /** Closing the returned permit gives it back; a small body gets a no-op permit at once. */
  Permit enter(long declaredLength) {
    if (declaredLength >= 0 && declaredLength <= LARGE) return () -> {};
    try {
      if (!permits.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)) throw busy();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw busy();
    }
    return permits::release;
  }

  private ApiException busy() {
    return new ApiException(
        503,
        "SERVER_BUSY",
        "this node is reading " + count + " large request bodies already; retry in a second",
        Map.of("retry_after_seconds", 1L));
  }

  @FunctionalInterface
  interface Permit extends AutoCloseable {
    @Override
    void close();
  }
}
