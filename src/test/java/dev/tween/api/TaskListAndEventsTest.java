package dev.tween.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.testing.Bodies;
import dev.tween.testing.FakeGenerator;
import dev.tween.testing.TestNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskListAndEventsTest {
  @TempDir Path dir;

  @Test
  void listIsNewestFirstPerTenantWithCursorAndValidation() throws Exception {
    try (TestNode node =
        TestNode.start(dir, Optional.of(FakeGenerator.instant()), Map.of("workers", "0"))) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) ids.add(node.submit(Bodies.simple(1)));
      node.post("/v3/async/veo-3.1-lite-flf2v", TestNode.OTHER_KEY, Bodies.simple(1));
      JsonNode page1 = TestNode.json(node.get("/v3/async/tasks?limit=3", TestNode.KEY).body());
      assertThat(page1.get("tasks")).hasSize(3);
      assertThat(page1.at("/tasks/0/task/task_id").asText()).isEqualTo(ids.get(4));
      String cursor = page1.get("next_cursor").asText();
      JsonNode page2 =
          TestNode.json(node.get("/v3/async/tasks?limit=3&cursor=" + cursor, TestNode.KEY).body());
      assertThat(page2.get("tasks")).hasSize(2);
      assertThat(page2.at("/tasks/1/task/task_id").asText()).isEqualTo(ids.get(0));
      assertThat(page2.get("next_cursor").asText()).isEmpty();
      JsonNode queued =
          TestNode.json(
              node.get("/v3/async/tasks?status=TASK_STATUS_QUEUED&limit=100", TestNode.KEY).body());
      assertThat(queued.get("tasks")).hasSize(5);
      for (String bad :
          List.of("limit=0", "limit=101", "limit=x", "status=DONE", "cursor=bm90LWEtY3Vyc29y")) {
        var r = node.get("/v3/async/tasks?" + bad, TestNode.KEY);
        assertThat(r.statusCode()).as(bad).isEqualTo(400);
        assertThat(TestNode.json(r.body()).get("message").asText())
            .startsWith(bad.substring(0, bad.indexOf('=')) + ":");
      }
    }
  }

  @Test
  void eventStreamShowsProgressAndEndsWithTheResult() throws Exception {
    var gen = FakeGenerator.gated();
    try (TestNode node = TestNode.start(dir, gen)) {
      String id = node.submit(Bodies.simple(1));
      var request =
          HttpRequest.newBuilder(
                  URI.create(node.url("/v3/async/tasks/" + id + "/events?key=" + TestNode.KEY)))
              .header("Accept", "text/event-stream")
              .build();
      var response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type").orElse(""))
          .startsWith("text/event-stream");
      List<String> events = new ArrayList<>();
      var reading =
          CompletableFuture.runAsync(
              () -> {
                try (var in = new BufferedReader(new InputStreamReader(response.body()))) {
                  String line;
                  while ((line = in.readLine()) != null) {
                    if (line.startsWith("event:")) events.add(line.substring(6).strip());
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      org.awaitility.Awaitility.await().until(() -> events.contains("progress"));
      gen.release();
      reading.get(20, TimeUnit.SECONDS);
      assertThat(events.getLast()).isEqualTo("result");
    }
  }

  @Test
  void eventStreamRefusalsArePlainJsonErrorsBeforeAnyStream() throws Exception {
    try (TestNode node =
        TestNode.start(dir, Optional.of(FakeGenerator.gated()), Map.of("workers", "0"))) {
      String id = node.submit(Bodies.simple(1));
      String events = "/v3/async/tasks/" + id + "/events";
      record Case(String name, String path, int status, String code) {}
      for (Case c :
          List.of(
              new Case(
                  "another tenant's task",
                  events + "?key=" + TestNode.OTHER_KEY,
                  404,
                  "TASK_NOT_FOUND"),
              new Case(
                  "unknown task",
                  "/v3/async/tasks/no-such-task/events?key=" + TestNode.KEY,
                  404,
                  "TASK_NOT_FOUND"),
              new Case("no key", events, 401, "UNAUTHORIZED"),
              new Case("wrong key", events + "?key=not-a-key", 401, "UNAUTHORIZED"))) {
        var request =
            HttpRequest.newBuilder(URI.create(node.url(c.path())))
                .header("Accept", "text/event-stream")
                .timeout(java.time.Duration.ofSeconds(5))
                .build();
        var r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(c.name()).isEqualTo(c.status());
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
            .as(c.name())
            .startsWith("application/json");
        JsonNode body = TestNode.json(r.body());
        assertThat(body.get("code").asText()).as(c.name()).isEqualTo(c.code());
        assertThat(body.get("message").asText()).as(c.name()).isNotBlank();
      }
      var foreignHeader = node.get(events, TestNode.OTHER_KEY);
      assertThat(foreignHeader.statusCode()).isEqualTo(404);
    }
  }
}
