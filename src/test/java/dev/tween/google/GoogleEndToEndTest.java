package dev.tween.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.config.ConfigException;
import dev.tween.config.TweenConfig;
import dev.tween.engine.TweenEngine;
import dev.tween.testing.Bodies;
import dev.tween.testing.FFprobe;
import dev.tween.testing.Images;
import dev.tween.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node serving Veo (Vertex AI, service-account token flow), Omni (Interactions API) and the
 * local engine on their own routes, driven through the public HTTP API against the fake Google.
 */
class GoogleEndToEndTest {
  static final String OMNI = "/v3/async/gemini-omni-flash-flf2v";
  static final String VEO = "/v3/async/veo-3.1-lite-flf2v";
  @TempDir Path dir;
  FakeGoogle fake;
  byte[] withAudio;

  @BeforeEach
  void start() throws Exception {
    Path f = dir.resolve("sample.mp4");
    var img = Images.scene(64, 36, 0);
    new TweenEngine()
        .render(
            img, img, new TweenEngine.Clip(64, 36, 24, 1, true), List.of(f), p -> {}, () -> false);
    withAudio = Files.readAllBytes(f);
    assertThat(FFprobe.streams(f).stream().map(FFprobe.Stream::type))
        .as("the fixture has sound")
        .contains("audio");
    fake = new FakeGoogle(withAudio);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  Map<String, String> flags() throws Exception {
    var m = new HashMap<String, String>();
    m.put("generator", "veo,omni,local");
    m.put("veo-project", "fake-project");
    m.put("veo-credentials", fake.serviceAccountJson(dir).toString());
    m.put("veo-base-url", fake.baseUrl());
    m.put("veo-poll-millis", "20");
    m.put("omni-api-key", FakeGoogle.GEMINI_KEY);
    m.put("omni-base-url", fake.baseUrl());
    m.put("omni-poll-millis", "20");
    m.put("lease-seconds", "5");
    m.put("heartbeat-seconds", "1");
    m.put("retry-base-seconds", "0");
    return m;
  }

  TestNode node() throws Exception {
    return TestNode.start(dir.resolve("node"), Optional.empty(), flags());
  }

  static String submit(TestNode node, String route, String body) throws Exception {
    var r = node.post(route, TestNode.KEY, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestNode.json(r.body()).get("task_id").asText();
  }

  static JsonNode end(TestNode node, String id) {
    return await()
        .atMost(Duration.ofSeconds(40))
        .until(
            () -> node.result(id),
            r -> r.at("/task/status").asText().matches("TASK_STATUS_(SUCCEED|FAILED)"));
  }

  @Test
  void omniMakesOneInteractionPerSampleAndRemovesTheSoundWhenAudioIsOff() throws Exception {
    fake.omniOutcomes.clear();
    fake.omniOutcomes.addAll(List.of(FakeGoogle.omniVideo(false), FakeGoogle.omniVideo(true)));
    try (TestNode node = node()) {
      String body =
          Bodies.simple(2)
              .replace("\"prompt\": \"pan\"", "\"prompt\": \"pan\", \"negative_prompt\": \"blur\"");
      JsonNode done = end(node, submit(node, OMNI, body));
      assertThat(done.at("/task/status").asText())
          .as(done.toString())
          .isEqualTo("TASK_STATUS_SUCCEED");
      assertThat(done.at("/task/task_type").asText()).isEqualTo("GEMINI_OMNI_FLASH_FLF2V");
      assertThat(done.get("videos")).hasSize(2);
      assertThat(done.at("/task/reason").asText())
          .contains("audio track was removed")
          .contains("negative_prompt");
      assertThat(fake.submits).hasSize(2);
      assertThat(fake.downloads.get())
          .as("the second sample came by URI, fetched with the key")
          .isEqualTo(1);
      JsonNode sent = fake.submits.getFirst();
      assertThat(sent.get("background").asBoolean()).isTrue();
      assertThat(sent.get("model").asText()).isEqualTo("gemini-omni-1.1-flash");
      assertThat(sent.at("/input/0/type").asText()).isEqualTo("image");
      assertThat(sent.at("/input/0/data").asText())
          .isEqualTo(java.util.Base64.getEncoder().encodeToString(Images.png(64, 36, 0)));
      assertThat(sent.at("/input/1/data").asText())
          .isEqualTo(java.util.Base64.getEncoder().encodeToString(Images.png(64, 36, 8)));
      assertThat(sent.at("/input/2/text").asText()).startsWith("pan").contains("blur");
      assertThat(sent.toString())
          .contains("\"duration\":\"4s\"")
          .contains("\"aspect_ratio\":\"16:9\"")
          .contains("\"resolution\":\"720p\"")
          .contains("\"seed\":7");
      for (int i = 0; i < 2; i++) {
        Path f = dir.resolve("got-" + i + ".mp4");
        Files.write(
            f, node.download(done.at("/videos/" + i + "/video_url").asText(), Map.of()).body());
        assertThat(FFprobe.streams(f).stream().map(FFprobe.Stream::type)).containsExactly("video");
      }
    }
  }

  @Test
  void omniWithAudioKeepsTheTrack() throws Exception {
    try (TestNode node = node()) {
      JsonNode done =
          end(
              node,
              submit(
                  node,
                  OMNI,
                  Bodies.simple(1)
                      .replace("\"duration\": 4", "\"duration\": 4, \"generate_audio\": true")));
      assertThat(done.at("/task/status").asText())
          .as(done.toString())
          .isEqualTo("TASK_STATUS_SUCCEED");
      Path f = dir.resolve("got.mp4");
      Files.write(f, node.download(done.at("/videos/0/video_url").asText(), Map.of()).body());
      assertThat(FFprobe.streams(f).stream().map(FFprobe.Stream::type)).contains("audio");
    }
  }

  @Test
  void omniRefusalFailureAnd429() throws Exception {
    try (TestNode node = node()) {
      fake.omniOutcomes.set(
          0, FakeGoogle.omniRefusal("I can't make that video: it depicts a real person."));
      JsonNode refused = end(node, submit(node, OMNI, Bodies.simple(1)));
      assertThat(refused.at("/task/status").asText()).isEqualTo("TASK_STATUS_FAILED");
      assertThat(refused.at("/task/reason").asText()).contains("it depicts a real person");

      fake.omniOutcomes.clear();
      fake.omniOutcomes.addAll(
          List.of(
              FakeGoogle.omniVideo(false),
              FakeGoogle.omniFailed("The last frame could not be read")));
      JsonNode failed = end(node, submit(node, OMNI, Bodies.simple(1)));
      assertThat(failed.at("/task/status").asText()).isEqualTo("TASK_STATUS_FAILED");
      assertThat(failed.at("/task/reason").asText()).contains("The last frame could not be read");

      int before = fake.submits.size();
      fake.omniOutcomes.add(FakeGoogle.omniVideo(false));
      fake.rejectSubmitsWith429 = 2;
      fake.rejectPollsWith429 = 2;
      JsonNode limited = end(node, submit(node, OMNI, Bodies.simple(1)));
      assertThat(limited.at("/task/status").asText())
          .as(limited.toString())
          .isEqualTo("TASK_STATUS_SUCCEED");
      assertThat(fake.submits.size() - before)
          .as("429s create nothing; one interaction")
          .isEqualTo(1);
    }
  }

  @Test
  void omniRefusesFieldsItCannotHonourAtSubmit() throws Exception {
    try (TestNode node = node()) {
      var person =
          node.post(
              OMNI,
              TestNode.KEY,
              Bodies.simple(1)
                  .replace(
                      "\"duration\": 4", "\"duration\": 4, \"person_generation\": \"dont_allow\""));
      assertThat(person.statusCode()).isEqualTo(400);
      assertThat(TestNode.json(person.body()).get("message").asText())
          .startsWith("person_generation:");
      var enhance =
          node.post(
              OMNI,
              TestNode.KEY,
              Bodies.simple(1)
                  .replace("\"duration\": 4", "\"duration\": 4, \"enhance_prompt\": false"));
      assertThat(enhance.statusCode()).isEqualTo(400);
      assertThat(TestNode.json(enhance.body()).get("message").asText())
          .startsWith("enhance_prompt:");
      assertThat(fake.submits).isEmpty();
      assertThat(node.get("/v3/async/tasks", TestNode.KEY).body()).doesNotContain("task_id\":\"");
      // The same request is fine on the Veo route, which honours both fields.
      assertThat(
              node.post(
                      VEO,
                      TestNode.KEY,
                      Bodies.simple(1)
                          .replace("\"duration\": 4", "\"duration\": 4, \"enhance_prompt\": false"))
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void veoOnVertexThroughTheSeedRouteWithSeveralSamplesAndAFilteredOne() throws Exception {
    fake.veoOutcome = FakeGoogle.veoVideos(1, 1, "Celebrity");
    try (TestNode node = node()) {
      JsonNode done = end(node, submit(node, VEO, Bodies.simple(2)));
      assertThat(done.at("/task/status").asText())
          .as(done.toString())
          .isEqualTo("TASK_STATUS_SUCCEED");
      assertThat(done.at("/task/task_type").asText()).isEqualTo("VEO_3_1_LITE_FLF2V");
      assertThat(done.get("videos")).hasSize(1);
      assertThat(done.at("/task/reason").asText())
          .contains("1 of 2 samples were removed")
          .contains("Celebrity")
          .contains("does not pin every sample");
      assertThat(fake.tokens.get()).isGreaterThanOrEqualTo(1);
      assertThat(fake.submits.getFirst().at("/parameters/generateAudio").asBoolean()).isFalse();
    }
  }

  @Test
  void veoOperationErrorAnd429ThroughTheApi() throws Exception {
    try (TestNode node = node()) {
      fake.veoOutcome = FakeGoogle.error(3, "The first frame could not be processed");
      JsonNode failed = end(node, submit(node, VEO, Bodies.simple(1)));
      assertThat(failed.at("/task/status").asText()).isEqualTo("TASK_STATUS_FAILED");
      assertThat(failed.at("/task/reason").asText())
          .contains("could not be processed")
          .contains("code 3");

      fake.veoOutcome = FakeGoogle.veoVideos(1, 0);
      fake.rejectSubmitsWith429 = 2;
      JsonNode limited = end(node, submit(node, VEO, Bodies.simple(1)));
      assertThat(limited.at("/task/status").asText())
          .as(limited.toString())
          .isEqualTo("TASK_STATUS_SUCCEED");
      assertThat(fake.submits).as("the 429s started nothing: one operation per task").hasSize(2);
    }
  }

  @Test
  void theNodeListsItsModels() throws Exception {
    try (TestNode node = node()) {
      JsonNode models = TestNode.json(node.get("/v3/models", TestNode.KEY).body()).get("models");
      assertThat(models.findValuesAsText("generator")).containsExactly("veo", "omni", "local");
      assertThat(models.findValuesAsText("task_type"))
          .containsExactly("VEO_3_1_LITE_FLF2V", "GEMINI_OMNI_FLASH_FLF2V", "TWEEN_LOCAL_FLF2V");
      assertThat(models.toString())
          .contains(VEO)
          .contains(OMNI)
          .contains("/v3/async/tween-local-flf2v");
    }
  }

  @Test
  void aRestartWhileInteractionsArePendingResumesWithOneCreatePerSample() throws Exception {
    fake.hangPolls = true;
    String id;
    try (TestNode first = node()) {
      id = submit(first, OMNI, Bodies.simple(2));
      await().atMost(Duration.ofSeconds(30)).until(() -> fake.polls.get() > 3);
    }
    fake.hangPolls = false;
    try (TestNode second = node()) {
      JsonNode done = end(second, id);
      assertThat(done.at("/task/status").asText())
          .as(done.toString())
          .isEqualTo("TASK_STATUS_SUCCEED");
      assertThat(done.get("videos")).hasSize(2);
      assertThat(fake.submits).as("one interaction per sample: no double charge").hasSize(2);
    }
  }

  @Test
  void theDeadGeminiVeoBackendAndMissingCredentialsStopTheNode() throws Exception {
    var gemini = new HashMap<>(flags());
    gemini.put("veo-backend", "gemini");
    assertThatThrownBy(() -> TweenConfig.load(Map.of(), gemini))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("shut")
        .hasMessageContaining("--generator omni");
    var unreadable = new HashMap<>(flags());
    unreadable.put("veo-credentials", dir.resolve("nope.json").toString());
    assertThatThrownBy(() -> TestNode.start(dir.resolve("n2"), Optional.empty(), unreadable))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.json");
    var noKey = new HashMap<>(flags());
    noKey.remove("omni-api-key");
    assertThatThrownBy(() -> TweenConfig.load(Map.of(), noKey))
        .hasMessageContaining("--omni-api-key");
  }
}
