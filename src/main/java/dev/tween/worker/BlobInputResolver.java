package dev.tween.worker;

import dev.tween.generate.GenerationException;
import dev.tween.generate.InputImage;
import dev.tween.image.ImageDecoder;
import dev.tween.storage.BlobStore;
import dev.tween.task.TaskSpec.ImageRef;
import java.io.IOException;
import java.net.URI;

/** Reads stored input images from blob storage and hands URLs to the safe fetcher. */
public final class BlobInputResolver implements InputResolver {

  /** Downloads an image URL under the SSRF rules. */
  @FunctionalInterface
  public interface UrlFetcher {
    byte[] fetch(URI url) throws GenerationException;
  }

  private final BlobStore blobs;
  private final UrlFetcher fetcher;

  public BlobInputResolver(BlobStore blobs, UrlFetcher fetcher) {
    this.blobs = blobs;
    this.fetcher = fetcher;
  }

  @Override
  public InputImage resolve(String field, ImageRef ref) throws GenerationException {
    byte[] bytes = switch (ref) {
      case ImageRef.Stored s -> read(field, s.blobKey());
      case ImageRef.Remote r -> fetcher.fetch(URI.create(r.url()));
    };
    var format = ImageDecoder.sniff(bytes).orElseThrow(() -> GenerationException.permanent(
        field + ": the downloaded file is not a JPEG or PNG image"));
    return new InputImage(bytes, format);
  }

  private byte[] read(String field, String key) throws GenerationException {
    try {
      return blobs.readAll(key);
    } catch (java.nio.file.NoSuchFileException e) {
      throw GenerationException.permanent(field + ": the stored input image is missing (" + key + ")");
    } catch (IOException e) {
      throw GenerationException.transientFailure(field + ": reading the stored input image failed: " + e.getMessage(), e);
    }
  }
}
