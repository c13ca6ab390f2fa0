package dev.tween.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where input frames and generated videos live. Keys are relative, slash-separated paths such as
 * {@code videos/<task>/0.mp4}. A blob becomes visible only when completely written.
 */
public interface BlobStore {

  /** Stores the file's content under {@code key}, replacing an existing blob atomically. */
  void put(String key, Path file, String contentType) throws IOException;

  void put(String key, byte[] bytes, String contentType) throws IOException;

  /** Size in bytes, or empty when there is no such blob. */
  Optional<Long> size(String key) throws IOException;

  /** Reads {@code length} bytes from {@code offset}; the caller closes the stream. */
  InputStream open(String key, long offset, long length) throws IOException;

  default byte[] readAll(String key) throws IOException {
    long n = size(key).orElseThrow(() -> new java.nio.file.NoSuchFileException(key));
    try (InputStream in = open(key, 0, n)) {
      return in.readAllBytes();
    }
  }

  /** Removes every blob whose key starts with {@code prefix}. */
  void deletePrefix(String prefix) throws IOException;

  /**
   * A URL the client can download the blob from directly (e.g. presigned S3), or empty when tween
   * serves it itself through a signed {@code /v1/videos} link.
   */
  default Optional<String> directUrl(String key, java.time.Duration ttl) {
    return Optional.empty();
  }

  /** True when the store answers (for /readyz). */
  boolean reachable();
}
