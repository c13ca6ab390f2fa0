package dev.tween.app;

import dev.tween.config.TweenConfig;
import dev.tween.disk.DiskGuardedBlobStore;
import dev.tween.disk.DiskSpace;
import dev.tween.metrics.Metrics;
import dev.tween.retention.Retention;
import dev.tween.storage.BlobStore;
import dev.tween.storage.LocalBlobStore;
import dev.tween.store.Database;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Wiring of what keeps storage bounded: the data directory's disk, and retention. */
final class StorageBounds {
  private StorageBounds() {}

  /**
   * The file systems tween writes to under its data directory: the engine's work files, and the
   * SQLite database and local blobs where they are used.
   */
  static DiskSpace disk(TweenConfig config) throws IOException {
    List<Path> dirs = new ArrayList<>(List.of(config.dataDir(), config.dataDir().resolve("work")));
    if (config.storageUrl().startsWith("file:")) dirs.add(Path.of(URI.create(config.storageUrl())));
    if (config.sqlite()) {
      String file = config.dbUrl().substring("jdbc:sqlite:".length()).replaceAll("\\?.*", "");
      Path parent = Path.of(file).toAbsolutePath().getParent();
      if (parent != null) dirs.add(parent);
    }
    return new DiskSpace(dirs, config.storage().minFreeBytes(), Clock.systemUTC());
  }

  /** Local blobs meet a full disk as an outage; a bucket is not on this disk. */
  static BlobStore guard(BlobStore blobs, DiskSpace disk, Database db, TweenConfig config) {
    if (config.sqlite()) db.detectOutages(disk);
    return blobs instanceof LocalBlobStore ? new DiskGuardedBlobStore(blobs, disk) : blobs;
  }

  static Retention retention(
      TweenConfig config,
      Database db,
      BlobStore blobs,
      DiskSpace disk,
      Clock clock,
      String nodeId,
      Metrics metrics) {
    Retention r =
        Retention.start(
            db, blobs, clock, config.storage().retention(), nodeId, metrics::retentionSwept);
    metrics.storage(r::storedObjects, r::storedBytes, () -> disk.freeBytes().orElse(-1));
    return r;
  }
}
