package dev.tween.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scratch directories of attempts (samples between their making and their storage): emptied when a
 * node starts, since whatever an earlier process left there belongs to no running attempt, and
 * deleted when an attempt ends.
 */
public final class WorkDir {
  private static final Logger log = LoggerFactory.getLogger(WorkDir.class);

  private WorkDir() {}

  /** Creates {@code dir} if needed and deletes everything inside it. */
  public static void empty(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          if (!p.equals(dir)) Files.deleteIfExists(p);
        }
      }
    }
    Files.createDirectories(dir);
  }

  /** Deletes {@code dir} and what it holds; a failure is logged, never thrown. */
  public static void delete(Path dir) {
    if (!Files.exists(dir)) return;
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      log.warn("event=workdir_cleanup_failed dir={} error=\"{}\"", dir, e.toString());
    }
  }
}
