package dev.tween.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tween.outage.Client.Answer;
import dev.tween.storage.s3.S3Server;
import dev.tween.testing.Bodies;
import dev.tween.testing.FakeGenerator;
import dev.tween.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bucket (s3rver) killed while a task is generating and started again: submits get a fast 503
 * with Retry-After and create nothing, the running task waits to store its video and succeeds
 * without a failed attempt. Before, submits answered 500 and, with {@code --max-failures 1}, the
 * running task ended FAILED.
 */
class StorageOutageTest {
  private static final Duration OUTAGE = // -Dtween.outage.seconds=600 for a ten-minute one
      Duration.ofSeconds(Integer.getInteger("tween.outage.seconds", 6));
  @TempDir Path dir;

  @Test
  void submitsGet503AndNothingHalfCreatedWhileTheRunningTaskWaits() throws Exception {
    try (S3Server s3 = S3Server.startPrivate();
        LogCapture logs = new LogCapture()) {
      String storage = s3.freshStorageUrl();
      var flags = OutageFlags.merged(s3.flags(storage, false), OutageFlags.tightBudgets());
      var generator = FakeGenerator.gated();
      try (TestNode node = TestNode.start(dir, Optional.of(generator), flags)) {
        var client = new Client(node);
        String running = node.submit(Bodies.simple(1));
        String queued = node.submit(Bodies.simple(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> generator.calls.get() == 1);

        s3.pause();
        long down = System.nanoTime();
        Answer submit = client.submit(Bodies.simple(1));
        System.out.printf("bucket outage: first submit %s%n", submit);
        assertThat(submit.status()).isEqualTo(503);
        assertThat(submit.millis()).isLessThan(OutageLimits.ANSWER_MS);
        assertThat(submit.retryAfter()).isPresent();
        assertThat(submit.json().get("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");

        List<Answer> readiness = new ArrayList<>();
        await()
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> {
                  Answer a = client.get("/readyz");
                  readiness.add(a);
                  return a.status();
                },
                s -> s == 503);
        System.out.printf(
            "bucket outage: /readyz 503 %d ms after the kill; answers %s%n",
            (System.nanoTime() - down) / 1_000_000,
            readiness.stream().map(a -> a.status() + "/" + a.millis() + "ms").toList());
        assertThat(readiness)
            .allSatisfy(a -> assertThat(a.millis()).isLessThan(OutageLimits.ANSWER_MS));
        assertThat(client.get("/healthz").status()).isEqualTo(200);
        assertThat(client.result(running).status())
            .isEqualTo(200); // the database is fine: reads still work

        generator
            .release(); // the video is ready during the outage: the worker must wait to store it
        long slowest = 0;
        int answers = 0;
        while (System.nanoTime() - down < OUTAGE.toNanos()) {
          Answer a = client.submit(Bodies.simple(1));
          assertThat(a.status()).as(a.toString()).isEqualTo(503);
          assertThat(a.retryAfter()).isPresent();
          slowest = Math.max(slowest, a.millis());
          answers++;
          Thread.sleep(300); // the traffic's pace during a real outage, not a wait
        }
        System.out.printf(
            "bucket outage: %d submits during %d s, all 503, slowest %d ms%n",
            answers, OUTAGE.toSeconds(), slowest);
        assertThat(slowest).isLessThan(OutageLimits.ANSWER_MS);
        Answer metrics = client.get("/metrics");
        assertThat(metrics.body())
            .contains("tween_dependency_up{dependency=\"storage\"} 0.0")
            .containsPattern("tween_unavailable_responses_total\\{dependency=\"storage\"\\} [1-9]");
        var listed = client.get("/v3/async/tasks?limit=100").json().get("tasks");
        assertThat(listed).as("no task row for a refused submit").hasSize(2);

        s3.resume();
        long up = System.nanoTime();
        String after = client.awaitRecovery("bucket", up);

        client.assertAllSucceedAndNothingCounted(
            "bucket outage", running, List.of(running, queued, after));
        assertThat(client.result(running).json().get("videos")).hasSize(1);

        Set<String> tasks = Set.of(running, queued, after);
        Set<String> withInputs =
            s3.keys(storage).stream()
                .filter(k -> k.startsWith("inputs/"))
                .map(k -> k.split("/")[1])
                .collect(Collectors.toSet());
        assertThat(tasks).containsAll(withInputs); // no inputs of a refused submit left behind
      }
      logs.assertOneQuietOutage("storage");
    }
  }
}
