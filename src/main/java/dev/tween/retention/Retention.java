package dev.tween.retention;

import dev.tween.health.DependencyUnavailableException;
import dev.tween.storage.BlobKeys;
import dev.tween.storage.BlobStore;
import dev.tween.store.Database;
import dev.tween.store.Expirations;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps storage bounded: every few seconds deletes the files (videos, poster, stored inputs) of
 * tasks that ended more than the retention ago, in batches, and now and then counts what storage
 * holds. Every node runs it; {@link Expirations} makes sure one node deletes each task's files.
 * Queued and running tasks have no end time, so they never expire.
 */
public final class Retention implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  /** Tasks claimed at once; their files go in one DeleteObjects request when there are ≤ 1,000. */
  static final int BATCH = 100;

  /**
   * How long a claim keeps other nodes off a batch: far longer than deleting it takes, short enough
   * that the files of a node that died mid-sweep are gone soon after.
   */
  static final Duration CLAIM_LEASE = Duration.ofMinutes(2);

  /** Sweeps are this far apart at most, so files go within a minute of their due time. */
  static final Duration MAX_PAUSE = Duration.ofSeconds(30);

  /** Counting storage lists every object (one request per 1,000 on S3): not often. */
  static final Duration CENSUS_EVERY = Duration.ofMinutes(10);

  /** Told after each sweep how many tasks' files it deleted, how many objects and bytes. */
  @FunctionalInterface
  public interface Listener {
    void swept(int tasks, long objects, long bytes);
  }

  private final Expirations expirations;
  private final BlobStore blobs;
  private final Duration retention;
  private final String owner;
  private final Listener listener;
  private final AtomicLong storedObjects = new AtomicLong(-1);
  private final AtomicLong storedBytes = new AtomicLong(-1);
  private final ScheduledExecutorService scheduler =
      Executors.newScheduledThreadPool(
          2, Thread.ofPlatform().daemon().name("tween-retention").factory());

  private Retention(
      Expirations expirations,
      BlobStore blobs,
      Duration retention,
      String owner,
      Listener listener) {
    this.expirations = expirations;
    this.blobs = blobs;
    this.retention = retention;
    this.owner = owner;
    this.listener = listener;
  }

  /**
   * Starts sweeping every quarter of the retention (between 1 and 30 s) and counting storage every
   * ten minutes.
   *
   * @param owner this node's name in claims
   */
  public static Retention start(
      Database db,
      BlobStore blobs,
      Clock clock,
      Duration retention,
      String owner,
      Listener listener) {
    var r = new Retention(new Expirations(db, clock), blobs, retention, owner, listener);
    long pause = pause(retention).toMillis();
    r.scheduler.scheduleWithFixedDelay(r::sweep, pause, pause, TimeUnit.MILLISECONDS);
    r.scheduler.scheduleWithFixedDelay(
        r::census, 0, CENSUS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    log.info(
        "event=retention_started retention_s={} sweep_every_ms={}", retention.toSeconds(), pause);
    return r;
  }

  static Duration pause(Duration retention) {
    Duration quarter = retention.dividedBy(4);
    if (quarter.compareTo(Duration.ofSeconds(1)) < 0) return Duration.ofSeconds(1);
    return quarter.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : quarter;
  }

  /** Blobs stored at the last count, less those expired since; -1 until counted. */
  public long storedObjects() {
    return storedObjects.get();
  }

  public long storedBytes() {
    return storedBytes.get();
  }

  /** Deletes the files of every due task, a batch at a time. */
  void sweep() {
    int tasks = 0;
    long objects = 0;
    long bytes = 0;
    long started = System.nanoTime();
    try {
      List<String> ids;
      do {
        ids = expirations.claim(owner, retention, CLAIM_LEASE, BATCH);
        List<BlobStore.Listed> files = filesOf(ids);
        blobs.delete(files.stream().map(BlobStore.Listed::key).toList());
        expirations.markPurged(owner, ids);
        tasks += ids.size();
        objects += files.size();
        bytes += files.stream().mapToLong(BlobStore.Listed::bytes).sum();
      } while (ids.size() == BATCH);
    } catch (DependencyUnavailableException e) {
      // its circuit logged the outage; what this sweep claimed is claimed again after the lease
    } catch (IOException | RuntimeException e) {
      log.warn(
          "event=retention_sweep_failed error=\"{}\" hint=\"claimed tasks are swept again in {} s\"",
          e.toString(),
          CLAIM_LEASE.toSeconds());
    }
    if (tasks > 0) {
      log.info(
          "event=retention_swept tasks={} objects={} bytes={} ms={}",
          tasks,
          objects,
          bytes,
          (System.nanoTime() - started) / 1_000_000);
      long gone = objects;
      long goneBytes = bytes;
      storedObjects.getAndUpdate(n -> n < 0 ? n : Math.max(0, n - gone));
      storedBytes.getAndUpdate(n -> n < 0 ? n : Math.max(0, n - goneBytes));
    }
    listener.swept(tasks, objects, bytes);
  }

  private List<BlobStore.Listed> filesOf(List<String> ids) throws IOException {
    List<BlobStore.Listed> files = new ArrayList<>();
    for (String id : ids) {
      files.addAll(blobs.list(BlobKeys.videosOf(id)));
      files.addAll(blobs.list(BlobKeys.inputsOf(id)));
    }
    return files;
  }

  private void census() {
    try {
      BlobStore.Usage u = blobs.usage();
      storedObjects.set(u.objects());
      storedBytes.set(u.bytes());
    } catch (DependencyUnavailableException e) {
      // counted again at the next census
    } catch (IOException | RuntimeException e) {
      log.warn("event=storage_census_failed error=\"{}\"", e.toString());
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
