package dev.tween.veo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.engine.TweenEngine;
import dev.tween.testing.Bodies;
import dev.tween.testing.Images;
import dev.tween.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tween configured with --generator veo against the fake Gemini API, through the public HTTP API. */
class VeoEndToEndTest {
  @TempDir Path dir;
  FakeGemini fake;

  @BeforeEach
  void start() throws Exception {
    Path f = dir.resolve("sample.mp4");
    var img = Images.scene(64, 36, 0);
    new TweenEngine().render(img, img, new TweenEngine.Clip(64, 36, 24, 1, false), List.of(f), p -> { }, () -> false);
    fake = new FakeGemini(Files.readAllBytes(f));
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  Map<String, String> flags() {
    return Map.of("generator", "veo", "veo-api-key", FakeGemini.KEY, "veo-base-url", fake.baseUrl(),
        "veo-poll-millis", "20", "lease-seconds", "5", "heartbeat-seconds", "1");
  }

  @Test
  void succeedsWithDownloadedSamplesAndReportsFilteredOnes() throws Exception {
    fake.outcome = FakeGemini.videos(1, 1, "Celebrity");
    try (TestNode node = TestNode.start(dir.resolve("node"), Optional.empty(), flags())) {
      String id = node.submit(Bodies.simple(2));
      JsonNode done = await().atMost(Duration.ofSeconds(30)).until(() -> node.result(id),
          r -> r.at("/task/status").asText().matches("TASK_STATUS_(SUCCEED|FAILED)"));
      assertThat(done.at("/task/status").asText()).as(done.toString()).isEqualTo("TASK_STATUS_SUCCEED");
      assertThat(done.get("videos")).hasSize(1);
      assertThat(done.at("/task/reason").asText()).contains("1 of 2 samples were removed").contains("Celebrity")
          .contains("seed 7 was not sent");
      var dl = node.download(done.at("/videos/0/video_url").asText(), Map.of());
      assertThat(dl.body()).isEqualTo(fake.video);
    }
  }

  @Test
  void everySampleFilteredIsFailedWithTheFiltersReason() throws Exception {
    fake.outcome = FakeGemini.videos(0, 1, "Violence");
    try (TestNode node = TestNode.start(dir.resolve("node"), Optional.empty(), flags())) {
      String id = node.submit(Bodies.simple(1));
      JsonNode done = await().atMost(Duration.ofSeconds(30)).until(() -> node.result(id),
          r -> r.at("/task/status").asText().matches("TASK_STATUS_(SUCCEED|FAILED)"));
      assertThat(done.at("/task/status").asText()).isEqualTo("TASK_STATUS_FAILED");
      assertThat(done.at("/task/reason").asText()).contains("safety filters").contains("Violence");
    }
  }

  @Test
  void audioOnTheGeminiBackendIs400AtSubmit() throws Exception {
    try (TestNode node = TestNode.start(dir.resolve("node"), Optional.empty(), flags())) {
      var r = node.post("/v3/async/veo-3.1-lite-flf2v", TestNode.KEY,
          Bodies.simple(1).replace("\"duration\": 4", "\"duration\": 4, \"generate_audio\": true"));
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(TestNode.json(r.body()).get("message").asText()).startsWith("generate_audio:");
      assertThat(fake.submits).isEmpty();
    }
  }

  @Test
  void aRestartDuringPollingResumesTheOperationWithOneSubmit() throws Exception {
    fake.hangPolls = true;
    String id;
    try (TestNode first = TestNode.start(dir.resolve("node"), Optional.empty(), flags())) {
      id = first.submit(Bodies.simple(1));
      await().atMost(Duration.ofSeconds(30)).until(() -> fake.polls.get() > 3);
    }
    fake.hangPolls = false;
    try (TestNode second = TestNode.start(dir.resolve("node"), Optional.empty(), flags())) {
      JsonNode done = await().atMost(Duration.ofSeconds(30)).until(() -> second.result(id),
          r -> r.at("/task/status").asText().matches("TASK_STATUS_(SUCCEED|FAILED)"));
      assertThat(done.at("/task/status").asText()).as(done.toString()).isEqualTo("TASK_STATUS_SUCCEED");
      assertThat(fake.submits).as("exactly one upstream submit: no double charge").hasSize(1);
    }
  }

  JsonNode runToEnd(TestNode node) throws Exception {
    String id = node.submit(Bodies.simple(1));
    return await().atMost(Duration.ofSeconds(30)).until(() -> node.result(id),
        r -> r.at("/task/status").asText().matches("TASK_STATUS_(SUCCEED|FAILED)"));
  }

  @Test
  void operationErrorIsFailedWithGooglesMessage() throws Exception {
    fake.outcome = FakeGemini.error(3, "The first frame could not be processed");
    try (TestNode node = TestNode.start(dir.resolve("node"), Optional.empty(), flags())) {
      JsonNode done = runToEnd(node);
      assertThat(done.at("/task/status").asText()).isEqualTo("TASK_STATUS_FAILED");
      assertThat(done.at("/task/reason").asText()).contains("could not be processed").contains("code 3");
    }
  }

  @Test
  void rateLimitedSubmitsEndInSuccessWithOneOperation() throws Exception {
    fake.rejectSubmitsWith429 = 2;
    fake.outcome = FakeGemini.videos(1, 0);
    try (TestNode node = TestNode.start(dir.resolve("node"), Optional.empty(), flags())) {
      assertThat(runToEnd(node).at("/task/status").asText()).isEqualTo("TASK_STATUS_SUCCEED");
      assertThat(fake.submits).hasSize(1);
    }
  }

  @Test
  void aRejectedKeyIsFailedSayingSo() throws Exception {
    var flags = new java.util.HashMap<>(flags());
    flags.put("veo-api-key", "not-the-key");
    try (TestNode node = TestNode.start(dir.resolve("node"), Optional.empty(), flags)) {
      JsonNode done = runToEnd(node);
      assertThat(done.at("/task/status").asText()).isEqualTo("TASK_STATUS_FAILED");
      assertThat(done.at("/task/reason").asText()).contains("Gemini API key").contains("rejected");
    }
  }
}
