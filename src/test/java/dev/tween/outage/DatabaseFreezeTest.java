package dev.tween.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tween.bench.LocalPostgres;
import dev.tween.outage.Client.Answer;
import dev.tween.testing.Bodies;
import dev.tween.testing.FakeGenerator;
import dev.tween.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL frozen (SIGSTOP) instead of stopped: like a network partition, connections stay open
 * and new ones are accepted but nothing answers. The socket, login and pool timeouts must turn that
 * into 503s instead of requests hanging (how fast: {@code ./tween bench outage}).
 */
class DatabaseFreezeTest {
  private static final Duration FREEZE = Duration.ofSeconds(6);
  @TempDir Path dir;

  @Test
  void aDatabaseThatStopsAnsweringGives503sInsteadOfHanging() throws Exception {
    try (LocalPostgres pg = LocalPostgres.startPrivate();
        LogCapture logs = new LogCapture()) {
      Map<String, String> flags =
          OutageFlags.merged(
              OutageFlags.on(pg),
              Map.of(
                  "db-socket-timeout-seconds",
                  "1",
                  "lease-seconds",
                  "5",
                  "heartbeat-seconds",
                  "1"));
      try (TestNode node = TestNode.start(dir, Optional.of(FakeGenerator.instant()), flags)) {
        var client = new Client(node);
        String before = node.submit(Bodies.simple(1));
        // Done before the freeze: a claim whose answer the freeze swallows is, by design, a crash
        // once its lease expires, and on a loaded machine the claim may still be under way.
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> client.status(before), s -> s.equals("TASK_STATUS_SUCCEED"));

        pg.freeze();
        long frozen = System.nanoTime();
        List<Answer> answers = new ArrayList<>();
        long firstNotReady = -1;
        try {
          while (System.nanoTime() - frozen < FREEZE.toNanos()) {
            for (Answer a :
                List.of(
                    client.submit(Bodies.simple(1)),
                    client.result(before),
                    client.get("/readyz"),
                    client.get("/healthz"))) {
              answers.add(a);
            }
            if (firstNotReady < 0
                && answers.getLast().status() == 200
                && answers.get(answers.size() - 2).status() == 503) {
              firstNotReady = (System.nanoTime() - frozen) / 1_000_000;
            }
            Thread.sleep(200); // the traffic's pace during a real outage, not a wait
          }
        } finally {
          pg.thaw();
        }
        long up = System.nanoTime();
        var byStatus = new TreeMap<Integer, Integer>();
        answers.forEach(a -> byStatus.merge(a.status(), 1, Integer::sum));
        long slowest = answers.stream().mapToLong(Answer::millis).max().orElseThrow();
        System.out.printf(
            "db frozen: %d answers in %d s by status %s, slowest %d ms, /readyz 503 from %d ms%n",
            answers.size(), FREEZE.toSeconds(), byStatus, slowest, firstNotReady);
        assertThat(byStatus.keySet()).as("no 500 and no hang").isSubsetOf(200, 503);
        assertThat(slowest).isLessThan(OutageLimits.ANSWER_MS);
        assertThat(firstNotReady).isBetween(0L, 5000L);
        assertThat(answers)
            .filteredOn(a -> a.body().contains("SERVICE_UNAVAILABLE"))
            .isNotEmpty()
            .allSatisfy(a -> assertThat(a.retryAfter()).isPresent());

        String after = client.awaitRecovery("db (frozen)", up);
        client.assertAllSucceedAndNothingCounted("db frozen", before, List.of(before, after));
      }
      assertThat(
              logs.count(
                  ch.qos.logback.classic.Level.WARN, "event=dependency_down dependency=database"))
          .isEqualTo(1);
    }
  }
}
