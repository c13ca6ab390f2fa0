package dev.tween.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.testing.Bodies;
import dev.tween.testing.HoldingGenerator;
import dev.tween.testing.MutableClock;
import dev.tween.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention on the embedded defaults (SQLite, files under {@code <data>/blobs}), through HTTP, with
 * a four-second retention on a clock the test moves: a finished task's files go, its row, status
 * and usage stay, an earlier link answers 410; queued and running tasks keep everything.
 */
class RetentionTest {
  @TempDir Path dir;

  @Test
  void aFinishedTasksFilesGoAfterTheRetentionWhileQueuedAndRunningTasksKeepTheirs()
      throws Exception {
    var clock = new MutableClock(Instant.now());
    var generator = new HoldingGenerator();
    try (TestNode node =
        TestNode.start(dir, Optional.of(generator), Map.of("retention", "4s"), clock)) {
      Path blobs = dir.resolve("blobs");
      String done = node.submit(Bodies.simple(2));
      awaitStatus(node, done, "TASK_STATUS_SUCCEED");
      String link = node.result(done).at("/videos/1/video_url").asText();
      assertThat(node.download(link, Map.of()).body()).isEqualTo(HoldingGenerator.sample(done, 1));
      System.out.println("before the retention ended:\n" + listing(blobs));
      assertThat(files(blobs, done))
          .containsExactlyInAnyOrder(
              "inputs/" + done + "/first.png",
              "inputs/" + done + "/last.png",
              "videos/" + done + "/0.mp4",
              "videos/" + done + "/1.mp4");

      generator.holdBeforeWriting();
      String running = node.submit(Bodies.simple(1));
      generator.awaitHeld();
      String queued = node.submit(Bodies.simple(1)); // one worker: it waits

      double sweeps = metric(node, "tween_retention_sweeps_total");
      await().until(() -> metric(node, "tween_retention_sweeps_total") >= sweeps + 2);
      assertThat(node.result(done).get("videos")).as("not due yet").hasSize(2);

      clock.advance(Duration.ofSeconds(5));
      JsonNode expired =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> node.result(done), r -> r.at("/extra/expired_at").isTextual());
      System.out.println("after:\n" + listing(blobs));
      System.out.println("task-result: " + expired);
      assertThat(expired.at("/task/status").asText()).isEqualTo("TASK_STATUS_SUCCEED");
      assertThat(expired.get("videos")).isEmpty();
      assertThat(expired.get("images")).isEmpty();
      assertThat(Instant.parse(expired.at("/extra/expired_at").asText()))
          .isAfterOrEqualTo(clock.instant().minusSeconds(1));
      assertThat(expired.at("/extra/usage/video_seconds").asInt()).as("usage stays").isEqualTo(8);
      assertThat(files(blobs, done)).isEmpty();

      var gone = node.download(link, Map.of());
      String body = new String(gone.body(), java.nio.charset.StandardCharsets.UTF_8);
      System.out.println("earlier link: " + gone.statusCode() + " " + body);
      assertThat(gone.statusCode()).isEqualTo(410);
      assertThat(TestNode.json(body).get("code").asText()).isEqualTo("VIDEO_EXPIRED");
      assertThat(TestNode.json(body).at("/metadata/expired_at").asText())
          .isEqualTo(expired.at("/extra/expired_at").asText());

      assertThat(node.result(running).at("/task/status").asText())
          .isEqualTo("TASK_STATUS_PROCESSING");
      assertThat(node.result(queued).at("/task/status").asText()).isEqualTo("TASK_STATUS_QUEUED");
      assertThat(files(blobs, running)).hasSize(2);
      assertThat(files(blobs, queued)).hasSize(2);
      generator.release();
      for (String id : List.of(running, queued)) {
        JsonNode r = awaitStatus(node, id, "TASK_STATUS_SUCCEED");
        assertThat(r.at("/extra/expired_at").isMissingNode()).isTrue();
        assertThat(node.download(r.at("/videos/0/video_url").asText(), Map.of()).statusCode())
            .isEqualTo(200);
      }

      String usage = node.get("/v1/usage?group_by=model", TestNode.KEY).body();
      assertThat(TestNode.json(usage).toString()).as(usage).contains("\"tasks\":3");
      String metrics = node.get("/metrics", null).body();
      assertThat(metric(metrics, "tween_expired_tasks_total")).isEqualTo(1);
      assertThat(metric(metrics, "tween_expired_objects_total")).isEqualTo(4);
      assertThat(metric(metrics, "tween_expired_bytes_total"))
          .isGreaterThan(2 * HoldingGenerator.SAMPLE_BYTES);
      assertThat(metrics).contains("tween_storage_bytes").contains("tween_storage_objects");
    }
  }

  static JsonNode awaitStatus(TestNode node, String id, String status) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> node.result(id), r -> r.at("/task/status").asText().equals(status));
  }

  /** The task's blobs, as keys. */
  static List<String> files(Path blobs, String taskId) throws Exception {
    return Stream.of("inputs/", "videos/")
        .map(p -> blobs.resolve(p + taskId))
        .filter(Files::exists)
        .flatMap(RetentionTest::walk)
        .filter(Files::isRegularFile)
        .map(p -> blobs.relativize(p).toString())
        .toList();
  }

  private static Stream<Path> walk(Path p) {
    try {
      return Files.walk(p).toList().stream();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code ls -lR}-like listing of the data dir's blobs, for the transcript. */
  static String listing(Path blobs) throws Exception {
    if (!Files.exists(blobs)) return "(none)";
    try (var all = Files.walk(blobs)) {
      var sb = new StringBuilder();
      for (Path p : all.sorted().toList()) {
        if (Files.isRegularFile(p))
          sb.append(String.format("%9d  %s%n", Files.size(p), blobs.relativize(p)));
      }
      return sb.length() == 0 ? "(empty)" : sb.toString();
    }
  }

  static double metric(TestNode node, String name) throws Exception {
    return metric(node.get("/metrics", null).body(), name);
  }

  static double metric(String scrape, String name) {
    return scrape
        .lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
