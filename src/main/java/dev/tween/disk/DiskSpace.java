package dev.tween.disk;

import dev.tween.health.Circuit;
import dev.tween.health.DependencyUnavailableException;
import dev.tween.health.OutageDetector;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The free space of the file systems under the data directory (the SQLite database, local blobs,
 * the engine's work files), seen as one dependency, {@value #DEPENDENCY}. Its circuit opens when a
 * write meets a full disk ({@code ENOSPC}, {@code SQLITE_FULL}) or when free space falls below
 * {@code --min-free-bytes}; it closes once there is that much again plus {@link #RESUME_MARGIN}, so
 * a disk hovering at the threshold does not flap. While it is open the node takes no new work
 * (submits answer 507, workers claim nothing, /readyz 503); work already accepted keeps writing
 * into the space held back, and a write that still finds the disk full waits like any outage.
 */
public final class DiskSpace implements OutageDetector, AutoCloseable {
  public static final String DEPENDENCY = "disk";

  /** Free space above the threshold needed before new work is taken again. */
  static final long RESUME_MARGIN = 16L << 20;

  /**
   * What 507 answers tell clients: a disk is freed by a person or by the retention sweep, not in
   * seconds.
   */
  static final Duration RETRY_AFTER = Duration.ofSeconds(30);

  /**
   * An I/O failure with no reason given (an encoder's "error writing") counts as a full disk when
   * less than this is left.
   */
  private static final long NEARLY_FULL = 1L << 20;

  private record Watched(Path dir, FileStore store) {}

  private final List<Watched> watched;
  private final long minFree;
  private final Circuit circuit;

  /**
   * @param dirs the directories tween writes to; each file system among them is watched once
   */
  public DiskSpace(List<Path> dirs, long minFreeBytes, Clock clock) throws IOException {
    List<Watched> w = new ArrayList<>();
    for (Path dir : dirs) {
      Files.createDirectories(dir);
      FileStore store = Files.getFileStore(dir);
      if (w.stream().noneMatch(x -> x.store().equals(store))) w.add(new Watched(dir, store));
    }
    this.watched = List.copyOf(w);
    this.minFree = minFreeBytes;
    this.circuit = new Circuit(DEPENDENCY, this::probe, clock);
  }

  public Circuit circuit() {
    return circuit;
  }

  /** The least usable space among the watched file systems; empty when it cannot be read. */
  public OptionalLong freeBytes() {
    long least = Long.MAX_VALUE;
    for (Watched w : watched) {
      try {
        least = Math.min(least, w.store().getUsableSpace());
      } catch (IOException e) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(least);
  }

  /** Throws (507 at the API) while the node must take no new work. */
  public void checkRoomForNewWork() {
    if (!circuit.isUp()) throw unavailable();
    OptionalLong free = freeBytes();
    if (free.isPresent() && free.getAsLong() < minFree) {
      circuit.failed(new IOException(describe(free.getAsLong())));
      throw unavailable();
    }
  }

  @Override
  public Optional<DependencyUnavailableException> outageBehind(Throwable failure) {
    boolean saysFull = false;
    boolean io = false;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      saysFull |=
          m.contains("No space left on device")
              || m.contains("Disk quota exceeded")
              || m.contains("SQLITE_FULL");
      io |= t instanceof IOException || t instanceof SQLException && m.contains("SQLITE_IOERR");
      if (t.getCause() == t) break;
    }
    if (!saysFull && !io) return Optional.empty();
    OptionalLong free = freeBytes();
    if (free.isEmpty()) return Optional.empty();
    // A full disk elsewhere (/tmp) is not ours; an unexplained I/O error is ours only when nearly
    // nothing is left.
    long limit = saysFull ? minFree + RESUME_MARGIN : NEARLY_FULL;
    if (free.getAsLong() >= limit) return Optional.empty();
    circuit.failed(new IOException(describe(free.getAsLong()) + ": " + failure));
    return Optional.of(unavailable());
  }

  private void probe() throws IOException {
    OptionalLong free = freeBytes();
    if (free.isEmpty()) throw new IOException("cannot read the free space of " + dirs());
    Circuit c = circuit; // null while the constructor runs
    long need = c == null || c.isUp() ? minFree : minFree + RESUME_MARGIN;
    if (free.getAsLong() < need) throw new IOException(describe(free.getAsLong()));
  }

  private String describe(long free) {
    return dirs()
        + " has "
        + free
        + " bytes free, --min-free-bytes is "
        + minFree
        + "; new work waits until "
        + (minFree + RESUME_MARGIN)
        + " are free";
  }

  private String dirs() {
    return watched.stream().map(w -> w.dir().toString()).toList().toString();
  }

  /** The answer to callers: no path, since the message reaches API clients. */
  private DependencyUnavailableException unavailable() {
    return new DependencyUnavailableException(
        DEPENDENCY,
        RETRY_AFTER,
        "the server's disk is full"
            + (minFree >= 1 << 20 ? " (less than " + (minFree >> 20) + " MiB free)" : "")
            + "; it takes no new tasks until space is freed; retry after "
            + RETRY_AFTER.toSeconds()
            + " s",
        null);
  }

  @Override
  public void close() {
    circuit.close();
  }
}
