package dev.tween.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tween.bench.LocalPostgres;
import dev.tween.testing.Bodies;
import dev.tween.testing.FakeGenerator;
import dev.tween.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes share PostgreSQL; it stops for longer than a lease while node A generates a task. When
 * it is back, node B's reaper must not take the task as crashed before A renews its lease: A
 * finishes it, on its first attempt, and B runs the tasks that were queued.
 */
class TwoNodeDatabaseOutageTest {
  private static final Duration OUTAGE = Duration.ofSeconds(8); // > lease-seconds 5
  @TempDir Path dirA;
  @TempDir Path dirB;

  @Test
  void theOtherNodeDoesNotReapALeaseThatExpiredDuringTheOutage() throws Exception {
    try (LocalPostgres pg = LocalPostgres.startPrivate()) {
      var flags =
          OutageFlags.merged(
              OutageFlags.on(pg),
              OutageFlags.tightBudgets(),
              Map.of("storage-url", dirA.resolve("blobs").toUri().toString()));
      var slow = FakeGenerator.gated();
      try (TestNode a = TestNode.start(dirA, Optional.of(slow), flags)) {
        var clientA = new Client(a);
        String running = a.submit(Bodies.simple(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.calls.get() == 1);
        var fast = FakeGenerator.instant();
        try (TestNode b = TestNode.start(dirB, Optional.of(fast), flags)) {
          var clientB = new Client(b);
          pg.pause();
          long down = System.nanoTime();
          slow.release();
          // The outage itself: real time, since the pool, the circuits and the leases' renewals all
          // run on it; nothing to wait for.
          Thread.sleep(OUTAGE.toMillis());
          assertThat(clientB.submit(Bodies.simple(1)).status()).isEqualTo(503);
          pg.resume();
          long up = System.nanoTime();
          System.out.printf("two nodes: database down %d ms%n", (up - down) / 1_000_000);
          String onA = clientA.awaitRecovery("two nodes, A", up);
          String onB = clientB.awaitRecovery("two nodes, B", up);
          // attempt 1: node A finished it, nobody re-ran it
          clientA.assertAllSucceedAndNothingCounted(
              "two nodes", running, List.of(running, onA, onB));
        }
      }
    }
  }
}
