package dev.tween.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.testing.Bodies;
import dev.tween.testing.FakeGenerator;
import dev.tween.testing.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task lifecycle through the public API, with a generator that writes marker files. */
class TaskFlowTest {
  @TempDir Path dir;
  FakeGenerator generator = FakeGenerator.gated();
  TestNode node;

  @BeforeEach
  void start() throws Exception {
    node = TestNode.start(dir, generator);
  }

  @AfterEach
  void stop() {
    generator.release();
    node.close();
  }

  @Test
  void queuedThenProcessingThenSucceedWithSignedDownloadableVideos() throws Exception {
    String id = node.submit(Bodies.simple(2));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode r = node.result(id);
              assertThat(r.at("/task/status").asText()).isEqualTo("TASK_STATUS_PROCESSING");
              assertThat(r.at("/task/progress_percent").asInt()).isGreaterThan(0).isLessThan(100);
            });
    generator.release();
    JsonNode done =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> node.result(id),
                r -> r.at("/task/status").asText().equals("TASK_STATUS_SUCCEED"));

    assertThat(done.at("/task/task_id").asText()).isEqualTo(id);
    assertThat(done.at("/task/task_type").asText()).isEqualTo("VEO_3_1_LITE_FLF2V");
    assertThat(done.at("/task/progress_percent").asInt()).isEqualTo(100);
    assertThat(done.at("/task/eta").asInt()).isZero();
    assertThat(done.at("/extra/seed").asText()).isEqualTo("7");
    assertThat(done.at("/extra/debug_info/submit_time_ms").asText()).matches("\\d+");
    assertThat(done.at("/extra/debug_info/complete_time_ms").asText()).matches("\\d+");
    assertThat(done.get("videos")).hasSize(2);
    assertThat(done.get("images").isArray()).isTrue();
    assertThat(done.get("audios").isArray()).isTrue();

    for (int i = 0; i < 2; i++) {
      JsonNode v = done.get("videos").get(i);
      assertThat(v.get("video_type").asText()).isEqualTo("mp4");
      assertThat(v.get("video_url_ttl").asText()).isEqualTo("3600");
      var dl = node.download(v.get("video_url").asText(), Map.of());
      assertThat(dl.statusCode()).isEqualTo(200);
      assertThat(dl.headers().firstValue("Content-Type")).contains("video/mp4");
      assertThat(new String(dl.body(), StandardCharsets.UTF_8))
          .isEqualTo("sample " + i + " of " + id + " seed 7");
    }
  }

  @Test
  void videoLinksSupportRangesAndRefuseTampering() throws Exception {
    generator.release();
    String id = node.submit(Bodies.simple(1));
    JsonNode done =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> node.result(id),
                r -> r.at("/task/status").asText().equals("TASK_STATUS_SUCCEED"));
    String url = done.at("/videos/0/video_url").asText();

    var part = node.download(url, Map.of("Range", "bytes=2-7"));
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(new String(part.body(), StandardCharsets.UTF_8)).isEqualTo("mple 0");

    var suffix = node.download(url, Map.of("Range", "bytes=-4"));
    assertThat(suffix.statusCode()).isEqualTo(206);
    assertThat(new String(suffix.body(), StandardCharsets.UTF_8)).isEqualTo("ed 7");
    assertThat(node.download(url, Map.of("Range", "bytes=9999-")).statusCode()).isEqualTo(416);

    var tampered = node.download(url.replace("/0.mp4", "/1.mp4"), Map.of());
    assertThat(tampered.statusCode()).isEqualTo(403);
    var noSig = node.download(url.substring(0, url.indexOf('?')), Map.of());
    assertThat(noSig.statusCode()).isEqualTo(403);
    assertThat(TestNode.json(new String(noSig.body(), StandardCharsets.UTF_8)).get("code").asText())
        .isEqualTo("FORBIDDEN");
  }

  @Test
  void authenticationAndTenantIsolation() throws Exception {
    String id = node.submit(Bodies.simple(1));
    var missing = node.get("/v3/async/task-result?task_id=" + id, null);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(TestNode.json(missing.body()).get("code").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(node.get("/v3/async/task-result?task_id=" + id, "wrong").statusCode())
        .isEqualTo(401);
    assertThat(node.post("/v3/async/veo-3.1-lite-flf2v", "wrong", Bodies.simple(1)).statusCode())
        .isEqualTo(401);

    var other = node.get("/v3/async/task-result?task_id=" + id, TestNode.OTHER_KEY);
    var unknown = node.get("/v3/async/task-result?task_id=no-such-task", TestNode.OTHER_KEY);
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(TestNode.json(other.body()).get("code").asText()).isEqualTo("TASK_NOT_FOUND");
    assertThat(other.body().replace(id, "X"))
        .isEqualTo(unknown.body().replace("no-such-task", "X"));

    var bare =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(node.url("/v3/async/task-result?task_id=" + id)))
                    .header("Authorization", TestNode.KEY)
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(bare.statusCode()).as("the bare key without Bearer is accepted").isEqualTo(200);
  }

  @Test
  void everyErrorHasTheContractBody() throws Exception {
    var notFound = node.get("/v3/nothing-here", TestNode.KEY);
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(TestNode.json(notFound.body()).fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("code", "reason", "message", "metadata");
    var wrongMethod = node.get("/v3/async/veo-3.1-lite-flf2v", TestNode.KEY);
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(TestNode.json(wrongMethod.body()).get("code").asText())
        .isEqualTo("METHOD_NOT_ALLOWED");
    var noId = node.get("/v3/async/task-result", TestNode.KEY);
    assertThat(noId.statusCode()).isEqualTo(400);
    assertThat(TestNode.json(noId.body()).get("message").asText()).startsWith("task_id:");
  }

  @Test
  void healthAndReadiness() throws Exception {
    assertThat(node.get("/healthz", null).statusCode()).isEqualTo(200);
    var ready = node.get("/readyz", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("ready");
  }
}
