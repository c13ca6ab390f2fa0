package dev.tween.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.testing.Bodies;
import dev.tween.testing.FakeGenerator;
import dev.tween.testing.MutableClock;
import dev.tween.testing.TestNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node stopped in the middle of a task: the task is not lost and ends SUCCEED after a restart.
 */
class RestartTest {
  @TempDir Path dir;

  @Test
  void taskInterruptedByAShutdownIsFinishedAfterRestart() throws Exception {
    var stuck = FakeGenerator.gated();
    String id;
    try (TestNode first = TestNode.start(dir, stuck)) {
      id = first.submit(Bodies.simple(1));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> first.result(id).at("/task/status").asText(),
              s -> s.equals("TASK_STATUS_PROCESSING"));
    }
    var healthy = FakeGenerator.instant();
    try (TestNode second = TestNode.start(dir, healthy)) {
      JsonNode done =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> second.result(id),
                  r -> r.at("/task/status").asText().equals("TASK_STATUS_SUCCEED"));
      assertThat(done.get("videos")).hasSize(1);
      assertThat(healthy.calls.get()).isEqualTo(1);
    }
  }

  @Test
  void aLiveLeaseIsNeverTakenOverByAnotherNode() throws Exception {
    // Two nodes on one database and one clock the test moves. The first holds the task and renews
    // its 5 s lease; the clock passes the lease length (2 × 3 s) in steps its heartbeat follows.
    // The second node (reaping expired leases every second) must leave the task alone.
    var clock = new MutableClock();
    var flags = Map.of("lease-seconds", "5", "heartbeat-seconds", "1");
    var stuck = FakeGenerator.gated();
    TestNode first = TestNode.start(dir, Optional.of(stuck), flags, clock);
    String id = first.submit(Bodies.simple(1));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> first.result(id).at("/task/status").asText(),
            s -> s.equals("TASK_STATUS_PROCESSING"));
    var healthy = FakeGenerator.instant();
    try (TestNode second = TestNode.start(dir, Optional.of(healthy), flags, clock)) {
      for (int step = 0; step < 2; step++) {
        clock.advance(Duration.ofSeconds(3));
        long renewedTo = clock.millis() + 5000;
        await().atMost(Duration.ofSeconds(5)).until(() -> leaseExpiresAt(id) == renewedTo);
      }
      assertThat(second.result(id).at("/task/status").asText()).isEqualTo("TASK_STATUS_PROCESSING");
      assertThat(healthy.calls.get()).as("a live lease is never taken over").isZero();
    } finally {
      stuck.release();
      first.close();
    }
  }

  private long leaseExpiresAt(String id) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("tween.db"));
        PreparedStatement ps =
            c.prepareStatement("SELECT lease_expires_at FROM tasks WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }
}
