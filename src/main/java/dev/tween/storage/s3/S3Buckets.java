package dev.tween.storage.s3;

import dev.tween.health.Circuit;
import dev.tween.storage.GuardedBlobStore;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/** The face of {@code storage.s3}: a bucket as blob storage, behind its own circuit. */
public final class S3Buckets {
  private S3Buckets() {}

  /**
   * Opens {@code s3://bucket/prefix}. An unreachable bucket does not stop the node: its circuit
   * starts open, /readyz answers 503, and a probe ({@code HeadBucket}) closes it once it answers.
   */
  public static GuardedBlobStore open(
      String storageUrl,
      Optional<URI> endpoint,
      String region,
      boolean pathStyle,
      boolean presign) {
    S3BlobStore store =
        S3BlobStore.open(S3Settings.of(storageUrl, endpoint, region, pathStyle, presign));
    Circuit circuit =
        new Circuit(
            "storage",
            () -> {
              if (!store.reachable())
                throw new IOException("HeadBucket on " + storageUrl + " got no answer");
            },
            Clock.systemUTC());
    if (!store.reachable()) {
      circuit.failed(
          new IOException(
              "HeadBucket on "
                  + storageUrl
                  + " got no answer; check the bucket, --s3-endpoint and"
                  + " the AWS_* credentials. /readyz answers 503 until it is reachable"));
    }
    return new GuardedBlobStore(store, circuit);
  }
}
