package dev.tween.worker;

import dev.tween.generate.GenerationException;
import dev.tween.generate.InputImage;
import dev.tween.image.ImageDecodeException;
import dev.tween.image.ImageDecoder;
import dev.tween.storage.BlobStore;
import dev.tween.task.TaskSpec.ImageRef;
import java.io.IOException;
import java.net.URI;

/** Reads stored input images from blob storage and hands URLs to the safe fetcher. */
final class BlobInputResolver implements InputResolver {
  private final BlobStore blobs;
  private final WorkerPool.UrlFetcher fetcher;

  BlobInputResolver(BlobStore blobs, WorkerPool.UrlFetcher fetcher) {
    this.blobs = blobs;
    this.fetcher = fetcher;
  }

  @Override
  public InputImage resolve(String field, ImageRef ref) throws GenerationException {
    byte[] bytes =
        switch (ref) {
          case ImageRef.Stored s -> read(field, s.blobKey());
          case ImageRef.Remote r -> fetcher.fetch(URI.create(r.url()));
        };
    try {
      // The same header, structure and CRC checks as an inline image gets at submit.
      return new InputImage(bytes, ImageDecoder.inspect(bytes).format());
    } catch (ImageDecodeException e) {
      String what = ref instanceof ImageRef.Remote ? "the downloaded image " : "the stored image ";
      throw GenerationException.permanent(field + ": " + what + e.getMessage());
    }
  }

  private byte[] read(String field, String key) throws GenerationException {
    try {
      return blobs.readAll(key);
    } catch (java.nio.file.NoSuchFileException e) {
      throw GenerationException.permanent(
          field + ": the stored input image is missing (" + key + ")");
    } catch (IOException e) {
      throw GenerationException.transientFailure(
          field + ": reading the stored input image failed: " + e.getMessage(), e);
    }
  }
}
