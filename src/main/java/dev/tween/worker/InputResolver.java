package dev.tween.worker;

import dev.tween.generate.GenerationException;
import dev.tween.generate.InputImage;
import dev.tween.task.TaskSpec.ImageRef;

/** Turns a stored image reference into bytes: reads the blob, or fetches the URL safely. */
@FunctionalInterface
public interface InputResolver {
  /** Stored inputs from {@code blobs}, URLs through {@code urls} (the SSRF-safe fetcher). */
  static InputResolver of(dev.tween.storage.BlobStore blobs, dev.tween.fetch.SafeFetcher urls) {
    return new BlobInputResolver(blobs, urls);
  }

  /**
   * @param field the API field the image came from, for error messages
   * @throws GenerationException permanent when the image can never be read, transient when a retry
   *     may help
   */
  InputImage resolve(String field, ImageRef ref) throws GenerationException;
}
