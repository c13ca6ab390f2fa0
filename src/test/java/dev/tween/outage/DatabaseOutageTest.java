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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped with {@code pg_ctl} for longer than a lease while a task is generating, then
 * started again: fast 503s with Retry-After meanwhile, and every task succeeds afterwards without a
 * crash or failure counted. Before circuits, the reaper counted the expired lease as a crash and,
 * with {@code --max-crashes 1}, the task ended FAILED; requests hung about 10 s and most ended 500.
 */
class DatabaseOutageTest {
  private static final Duration OUTAGE = // -Dtween.outage.seconds=600 for a ten-minute one
      Duration.ofSeconds(Integer.getInteger("tween.outage.seconds", 8)); // > lease-seconds 5
  @TempDir Path dir;

  @Test
  void requestsGet503FastAndTasksSurviveAnOutageLongerThanALease() throws Exception {
    try (LocalPostgres pg = LocalPostgres.startPrivate();
        LogCapture logs = new LogCapture()) {
      var generator = FakeGenerator.gated();
      Map<String, String> flags =
          OutageFlags.merged(OutageFlags.on(pg), OutageFlags.tightBudgets());
      try (TestNode node = TestNode.start(dir, Optional.of(generator), flags)) {
        var client = new Client(node);
        String running = node.submit(Bodies.simple(1));
        String queued = node.submit(Bodies.simple(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> generator.calls.get() == 1);

        pg.pause();
        long down = System.nanoTime();
        List<Answer> readiness = new ArrayList<>();
        Answer notReady =
            await()
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(
                    () -> {
                      Answer a = client.get("/readyz");
                      readiness.add(a);
                      return a;
                    },
                    a -> a.status() == 503);
        long noticedMs = (System.nanoTime() - down) / 1_000_000;
        System.out.printf(
            "db outage: /readyz 503 %d ms after pg_ctl stop; answers %s%n",
            noticedMs, readiness.stream().map(a -> a.status() + "/" + a.millis() + "ms").toList());
        assertThat(readiness)
            .allSatisfy(a -> assertThat(a.millis()).isLessThan(OutageLimits.ANSWER_MS));

        Answer healthz = client.get("/healthz");
        Answer submit = client.submit(Bodies.simple(1));
        Answer result = client.result(running);
        Answer metrics = client.get("/metrics");
        System.out.printf(
            "db outage: healthz %s%ndb outage: submit %s%ndb outage: task-result %s%n",
            healthz, submit, result);
        assertThat(healthz.status()).isEqualTo(200);
        for (Answer a : List.of(submit, result)) {
          assertThat(a.status()).isEqualTo(503);
          assertThat(a.millis()).isLessThan(OutageLimits.ANSWER_MS);
          assertThat(a.retryAfter())
              .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
          assertThat(a.json().get("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
        }
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body())
            .contains("tween_dependency_up{dependency=\"database\"} 0.0")
            .containsPattern(
                "tween_unavailable_responses_total\\{dependency=\"database\"\\} [1-9]");

        generator.release(); // generation ends during the outage: the worker must wait to record it
        long slowest = 0;
        int answers = 0;
        while (System.nanoTime() - down < OUTAGE.toNanos()) {
          for (Answer a :
              List.of(
                  client.submit(Bodies.simple(1)), client.result(queued), client.get("/readyz"))) {
            assertThat(a.status()).as(a.toString()).isEqualTo(503);
            slowest = Math.max(slowest, a.millis());
            answers++;
          }
          Thread.sleep(300); // the traffic's pace during a real outage, not a wait
        }
        System.out.printf(
            "db outage: %d answers during %d s, all 503, slowest %d ms%n",
            answers, OUTAGE.toSeconds(), slowest);
        assertThat(slowest).isLessThan(OutageLimits.ANSWER_MS);

        pg.resume();
        long up = System.nanoTime();
        String after = client.awaitRecovery("db", up);

        client.assertAllSucceedAndNothingCounted(
            "db outage", running, List.of(running, queued, after));
      }
      logs.assertOneQuietOutage("database");
    }
  }
}
