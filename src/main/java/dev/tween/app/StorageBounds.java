package dev.tween.app;

import dev.tween.config.TweenConfig;
import dev.tween.metrics.Metrics;
import dev.tween.retention.Retention;
import dev.tween.storage.BlobStore;
import dev.tween.store.Database;
import java.time.Clock;

/** Wiring of what keeps storage bounded: retention. */
final class StorageBounds {
  private StorageBounds() {}

  static Retention retention(
      TweenConfig config,
      Database db,
      BlobStore blobs,
      Clock clock,
      String nodeId,
      Metrics metrics) {
    Retention r =
        Retention.start(
            db, blobs, clock, config.storage().retention(), nodeId, metrics::retentionSwept);
    metrics.storage(r::storedObjects, r::storedBytes);
    return r;
  }
}
