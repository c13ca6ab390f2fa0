package dev.tween.worker;

import dev.tween.fetch.FetchException;
import dev.tween.fetch.SafeFetcher;
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
  private final SafeFetcher fetcher;

  BlobInputResolver(BlobStore blobs, SafeFetcher fetcher) {
    this.blobs = blobs;
    this.fetcher = fetcher;
  }

  @Override
  public InputImage resolve(String field, ImageRef ref) throws GenerationException {
    byte[] bytes =
        switch (ref) {
          case ImageRef.Stored s -> read(field, s.blobKey());
          case ImageRef.Remote r -> fetch(URI.create(r.url()));
        };
    try {
      // The same header, structure and CRC checks as an inline image gets at submit.
      return new InputImage(bytes, ImageDecoder.inspect(bytes).format());
    } catch (ImageDecodeException e) {
      String what = ref instanceof ImageRef.Remote ? "the downloaded image " : "the stored image ";
      throw GenerationException.permanent(field + ": " + what + e.getMessage());
    }
  }

  /** A URL input through the SSRF-safe fetcher; its refusal is the task's reason. */
  private byte[] fetch(URI url) throws GenerationException {
    try {
      return fetcher.fetch(url);
    } catch (FetchException e) {
      String reason = "image URL " + url.getHost() + ": " + e.getMessage();
      throw e.permanent()
          ? GenerationException.permanent(reason)
          : GenerationException.transientFailure(reason, e);
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
