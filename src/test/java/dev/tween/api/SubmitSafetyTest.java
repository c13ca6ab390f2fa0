package dev.tween.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tween.testing.Bodies;
import dev.tween.testing.FakeGenerator;
import dev.tween.testing.MutableClock;
import dev.tween.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idempotency keys, rate limits, queue shedding and cancel, through a real server. */
class SubmitSafetyTest {
  @TempDir Path dir;

  static HttpResponse<String> submit(TestNode node, String body, String idempotencyKey)
      throws Exception {
    var b =
        HttpRequest.newBuilder(URI.create(node.url("/v3/async/veo-3.1-lite-flf2v")))
            .header("Authorization", "Bearer " + TestNode.KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) b.header("Idempotency-Key", idempotencyKey);
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String taskId(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestNode.json(r.body()).get("task_id").asText();
  }

  @Test
  void sameKeySameBodyGivesTheSameTaskAndADifferentBodyIs422() throws Exception {
    try (TestNode node =
        TestNode.start(dir, Optional.of(FakeGenerator.instant()), Map.of("workers", "0"))) {
      String body = Bodies.simple(1);
      String first = taskId(submit(node, body, "order-17"));
      String again = taskId(submit(node, body, "order-17"));
      assertThat(again).isEqualTo(first);
      var different = submit(node, Bodies.simple(2), "order-17");
      assertThat(different.statusCode()).isEqualTo(422);
      assertThat(TestNode.json(different.body()).get("code").asText())
          .isEqualTo("IDEMPOTENCY_KEY_REUSED");
      assertThat(taskId(submit(node, body, "order-18"))).isNotEqualTo(first);
      assertThat(node.app().tasks().countByStatus().get(dev.tween.task.TaskStatus.QUEUED))
          .isEqualTo(2);

      var invalid = submit(node, "{\"prompt\": 1}", "order-19");
      assertThat(invalid.statusCode()).isEqualTo(400);
      assertThat(taskId(submit(node, body, "order-19")))
          .as("a 400 does not burn the key")
          .isNotBlank();
      assertThat(submit(node, body, "bad key with spaces").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void overTheRateLimitAnswers429WithRetryAfterAndQueuesNothing() throws Exception {
    var flags = Map.of("workers", "0", "rate-limit-per-minute", "6", "rate-limit-burst", "3");
    try (TestNode node = TestNode.start(dir, Optional.of(FakeGenerator.instant()), flags)) {
      String body = Bodies.simple(1);
      for (int i = 0; i < 3; i++) taskId(submit(node, body, null));
      var limited = submit(node, body, null);
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(TestNode.json(limited.body()).get("code").asText())
          .isEqualTo("RATE_LIMIT_EXCEEDED");
      assertThat(limited.headers().firstValue("Retry-After"))
          .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 10));
      assertThat(node.app().tasks().countByStatus().get(dev.tween.task.TaskStatus.QUEUED))
          .isEqualTo(3);
      var otherTenant = node.post("/v3/async/veo-3.1-lite-flf2v", TestNode.OTHER_KEY, body);
      assertThat(otherTenant.statusCode()).as("limits are per key").isEqualTo(200);
      assertThat(node.get("/v3/async/task-result?task_id=x", TestNode.KEY).statusCode())
          .as("reading results is not rate limited")
          .isEqualTo(404);
    }
  }

  @Test
  void aFullQueueShedsSubmitsWith429() throws Exception {
    var flags = Map.of("workers", "0", "queue-capacity", "2");
    var clock = new MutableClock();
    try (TestNode node = TestNode.start(dir, Optional.of(FakeGenerator.instant()), flags, clock)) {
      String body = Bodies.simple(1);
      taskId(submit(node, body, null));
      taskId(submit(node, body, null));
      clock.advance(SubmitLimits.DEPTH_CACHE.plusMillis(1)); // the queue depth is counted again
      var shed = submit(node, body, null);
      assertThat(shed.statusCode()).isEqualTo(429);
      assertThat(TestNode.json(shed.body()).get("code").asText()).isEqualTo("QUEUE_FULL");
      assertThat(shed.headers().firstValue("Retry-After")).isPresent();
    }
  }

  @Test
  void cancelStopsQueuedAndRunningTasks() throws Exception {
    var gen = FakeGenerator.gated();
    try (TestNode node = TestNode.start(dir, gen)) {
      String running = node.submit(Bodies.simple(1));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> node.result(running).at("/task/status").asText(),
              s -> s.equals("TASK_STATUS_PROCESSING"));
      String queued = node.submit(Bodies.simple(1));

      var c1 = node.post("/v3/async/tasks/" + queued + "/cancel", TestNode.KEY, "");
      assertThat(c1.statusCode()).isEqualTo(200);
      assertThat(TestNode.json(c1.body()).at("/task/status").asText())
          .isEqualTo("TASK_STATUS_CANCELED");

      assertThat(node.post("/v3/async/tasks/" + running + "/cancel", TestNode.KEY, "").statusCode())
          .isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> node.result(running).at("/task/status").asText(),
              s -> s.equals("TASK_STATUS_CANCELED"));
      assertThat(node.result(running).get("videos")).isEmpty();

      assertThat(
              node.post("/v3/async/tasks/" + running + "/cancel", TestNode.OTHER_KEY, "")
                  .statusCode())
          .isEqualTo(404);
      gen.release();
      String done = node.submit(Bodies.simple(1));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> node.result(done).at("/task/status").asText(),
              s -> s.equals("TASK_STATUS_SUCCEED"));
      var late = node.post("/v3/async/tasks/" + done + "/cancel", TestNode.KEY, "");
      assertThat(late.statusCode()).isEqualTo(409);
      assertThat(TestNode.json(late.body()).get("code").asText())
          .isEqualTo("TASK_ALREADY_FINISHED");
    }
  }
}
