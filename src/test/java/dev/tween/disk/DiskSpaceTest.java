package dev.tween.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tween.health.DependencyUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which failures count as the data directory's disk being full, on the machine's real file system
 * (FullDiskTest fills a real one; this runs without root). A floor above the disk's size stands for
 * a disk with less free than {@code --min-free-bytes}.
 */
class DiskSpaceTest {
  @TempDir Path dir;

  @Test
  void belowTheFloorNewWorkIsRefusedAndFullDiskErrorsAreOutages() throws Exception {
    try (var disk = new DiskSpace(List.of(dir, dir.resolve("work")), Long.MAX_VALUE / 2, clock())) {
      assertThatThrownBy(disk::checkRoomForNewWork)
          .isInstanceOfSatisfying(
              DependencyUnavailableException.class,
              e -> {
                assertThat(e.dependency()).isEqualTo("disk");
                assertThat(e.retryAfter()).isEqualTo(DiskSpace.RETRY_AFTER);
                assertThat(e.getMessage()).doesNotContain(dir.toString());
              });
      assertThat(disk.circuit().isUp()).isFalse();
      assertThat(disk.outageBehind(new IOException("No space left on device"))).isPresent();
      assertThat(disk.outageBehind(new SQLException("[SQLITE_FULL] database or disk is full")))
          .isPresent();
      assertThat(disk.outageBehind(new IllegalStateException("a bug"))).isEmpty();
      assertThat(disk.outageBehind(new SQLException("[SQLITE_CONSTRAINT] UNIQUE"))).isEmpty();
    }
  }

  @Test
  void withRoomLeftOnlyAReallyFullDiskCounts() throws Exception {
    try (var disk = new DiskSpace(List.of(dir), 0, clock())) {
      disk.checkRoomForNewWork();
      assertThat(disk.freeBytes().getAsLong()).isPositive();
      // The machine's disk has room: an ENOSPC from elsewhere (a full /tmp) or an I/O error with no
      // reason are not this disk filling up.
      assertThat(disk.outageBehind(new IOException("No space left on device"))).isEmpty();
      assertThat(disk.outageBehind(new IOException("encoding a frame failed: error -5"))).isEmpty();
      assertThat(disk.circuit().isUp()).isTrue();
    }
  }

  private static Clock clock() {
    return Clock.systemUTC();
  }
}
