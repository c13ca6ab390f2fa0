package dev.tween.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.task.Task;
import dev.tween.testing.Bodies;
import dev.tween.testing.TestNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Calls a node over HTTP and times every answer; a hung request fails after 10 s instead of hanging
 * the test.
 */
final class Client {
  private final TestNode node;
  private final String key;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One answer: its status, Retry-After header, body and how long it took. */
  record Answer(int status, Optional<String> retryAfter, String body, long millis) {
    JsonNode json() throws IOException {
      return TestNode.json(body);
    }

    @Override
    public String toString() {
      return status
          + " in "
          + millis
          + " ms"
          + retryAfter.map(r -> " Retry-After " + r).orElse("")
          + " "
          + body;
    }
  }

  Client(TestNode node) {
    this(node, TestNode.KEY);
  }

  /** A client that sends {@code key} (e.g. one made through the admin routes). */
  Client(TestNode node, String key) {
    this.node = node;
    this.key = key;
  }

  Answer get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(node.url(path))).GET());
  }

  Answer post(String path) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(node.url(path)))
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  Answer submit(String body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(node.url("/v3/async/veo-3.1-lite-flf2v")))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Answer result(String taskId) throws IOException, InterruptedException {
    return get("/v3/async/task-result?task_id=" + taskId);
  }

  String status(String taskId) throws IOException, InterruptedException {
    Answer a = result(taskId);
    return a.status() == 200 ? a.json().at("/task/status").asText() : "HTTP " + a.status();
  }

  /**
   * After a dependency came back (at {@code upNanos}): /readyz 200 and a submit answered 200, each
   * within 5 s; prints the timings and returns the new task's id.
   */
  String awaitRecovery(String label, long upNanos) throws Exception {
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> get("/readyz").status() == 200);
    long readyMs = (System.nanoTime() - upNanos) / 1_000_000;
    Answer again =
        await()
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> submit(Bodies.simple(1)), a -> a.status() == 200);
    System.out.printf(
        "%s back: /readyz 200 after %d ms, first submit 200 after %d ms%n",
        label, readyMs, (System.nanoTime() - upNanos) / 1_000_000);
    return again.json().get("task_id").asText();
  }

  /**
   * Every task ends SUCCEED, and {@code survivor} (running during the outage) spent no failure or
   * crash.
   */
  void assertAllSucceedAndNothingCounted(String label, String survivor, List<String> ids)
      throws Exception {
    for (String id : ids) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> status(id), s -> s.equals("TASK_STATUS_SUCCEED"));
    }
    Task t = node.app().tasks().findById(survivor).orElseThrow();
    System.out.printf(
        "%s: task %s attempt=%d failures=%d crashes=%d%n",
        label, survivor, t.attempt(), t.failures(), t.crashes());
    assertThat(t.failures()).isZero();
    assertThat(t.crashes()).isZero();
    assertThat(t.attempt()).isEqualTo(1);
  }

  private Answer send(HttpRequest.Builder b) throws IOException, InterruptedException {
    b.header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(10));
    long t0 = System.nanoTime();
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    return new Answer(r.statusCode(), r.headers().firstValue("Retry-After"), r.body(), ms);
  }
}
