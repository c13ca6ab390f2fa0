package dev.tween.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
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

  /** A stored blob: its key and its size in bytes. */
  record Listed(String key, long bytes) {}

  /** Every blob in the folder {@code prefix} (e.g. {@code videos/<task>}), at any depth. */
  List<Listed> list(String prefix) throws IOException;

  /**
   * Deletes these blobs in as few requests as the store allows (S3: DeleteObjects, 1,000 keys a
   * request). A key that does not exist is not an error.
   */
  void delete(Collection<String> keys) throws IOException;

  /** How many blobs are stored and their bytes. */
  record Usage(long objects, long bytes) {}

  /** Counts every blob: a full listing, so call it rarely. */
  Usage usage() throws IOException;

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
