package dev.tween.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tween.config.ConfigException;
import dev.tween.config.DeploymentFields;
import dev.tween.engine.Mp4Check;
import dev.tween.engine.TweenEngine;
import dev.tween.gateway.Delivery;
import dev.tween.gateway.OperationRequest;
import dev.tween.gateway.OperationState;
import dev.tween.gateway.UpstreamException;
import dev.tween.generate.GenerationRequest;
import dev.tween.generate.InputImage;
import dev.tween.generate.VideoOptions;
import dev.tween.testing.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Vertex AI deployment of Veo through the real google-genai SDK and a real service-account
 * token flow, against a local fake of Vertex AI: what is sent, and how each answer is classified.
 */
class VeoUpstreamTest {
  static byte[] mp4;
  @TempDir static Path shared;
  @TempDir Path dir;
  FakeGoogle fake;

  @BeforeAll
  static void sampleVideo() throws Exception {
    Path f = shared.resolve("sample.mp4");
    var img = Images.scene(64, 36, 0);
    new TweenEngine()
        .render(
            img, img, new TweenEngine.Clip(64, 36, 24, 1, false), List.of(f), p -> {}, () -> false);
    mp4 = Files.readAllBytes(f);
  }

  @BeforeEach
  void start() throws Exception {
    fake = new FakeGoogle(mp4);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  DeploymentFields fields(Map<String, String> extra) throws Exception {
    Map<String, JsonNode> v = new LinkedHashMap<>();
    v.put("project", TextNode.valueOf("fake-project"));
    v.put("location", TextNode.valueOf("europe-west4"));
    v.put("credentials", TextNode.valueOf(fake.serviceAccountJson(dir).toString()));
    v.put("base_url", TextNode.valueOf(fake.baseUrl()));
    extra.forEach((k, x) -> v.put(k, TextNode.valueOf(x)));
    return new DeploymentFields("deployments file d.json", "veo-eu", v, dir);
  }

  VeoUpstream veo() throws Exception {
    return new VeoUpstream(fields(Map.of()), Mp4Check::verify, (c, o) -> {});
  }

  static OperationRequest request(int samples, boolean audio) {
    byte[] png = Images.png(64, 36, 0);
    var options =
        new VideoOptions(
            "a slow pan",
            Optional.of("blur"),
            6,
            VideoOptions.Resolution.P1080,
            VideoOptions.AspectRatio.PORTRAIT,
            samples,
            1234,
            true,
            false,
            audio,
            VideoOptions.PersonGeneration.DONT_ALLOW);
    return OperationRequest.of(
        "t1",
        0,
        new GenerationRequest(
            new InputImage(png, InputImage.Format.PNG),
            new InputImage(png, InputImage.Format.PNG),
            options));
  }

  /** create, poll until done, deliver: what the gateway does, without it. */
  Delivery run(VeoUpstream veo, OperationRequest r) throws Exception {
    String id = veo.create(r, Optional.empty());
    assertThat(id).startsWith("projects/fake-project/locations/europe-west4/");
    while (true) {
      if (veo.poll(id) instanceof OperationState.Finished f)
        return veo.deliver(id, f, r.request().options(), k -> dir.resolve("s" + k + ".mp4"));
    }
  }

  @Test
  void everyFieldIsSentToTheDeploymentsRegionWithATokenFromTheServiceAccount() throws Exception {
    fake.veoOutcome = FakeGoogle.veoVideos(2, 0);
    try (var veo = veo()) {
      Delivery d = run(veo, request(2, false));
      assertThat(d.samples()).isEqualTo(2);
      assertThat(Files.readAllBytes(dir.resolve("s0.mp4"))).isEqualTo(mp4);
      assertThat(Files.readAllBytes(dir.resolve("s1.mp4"))).isEqualTo(mp4);
      assertThat(fake.tokens.get()).isGreaterThanOrEqualTo(1);
      assertThat(fake.accepted).containsOnlyKeys("fake-project/europe-west4");
      var body = fake.submits.getFirst();
      assertThat(body.at("/instances/0/prompt").asText()).isEqualTo("a slow pan");
      assertThat(body.at("/instances/0/image/bytesBase64Encoded").asText()).isNotEmpty();
      assertThat(body.at("/instances/0/lastFrame/bytesBase64Encoded").asText()).isNotEmpty();
      var p = body.at("/parameters");
      assertThat(p.get("sampleCount").asInt()).isEqualTo(2);
      assertThat(p.get("durationSeconds").asInt()).isEqualTo(6);
      assertThat(p.get("resolution").asText()).isEqualTo("1080p");
      assertThat(p.get("aspectRatio").asText()).isEqualTo("9:16");
      assertThat(p.get("negativePrompt").asText()).isEqualTo("blur");
      assertThat(p.get("personGeneration").asText()).isEqualTo("dont_allow");
      assertThat(p.get("enhancePrompt").asBoolean()).isFalse();
      assertThat(p.get("generateAudio").asBoolean()).as("false is sent, not left out").isFalse();
      assertThat(p.get("seed").asLong()).isEqualTo(1234);
    }
  }

  @Test
  void aKeyTheTokenEndpointDoesNotKnowIsRejectedNotRetried() throws Exception {
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    try (var forged = new FakeGoogle(mp4)) {
      String json =
          Files.readString(forged.serviceAccountJson(other))
              .replace(forged.baseUrl(), fake.baseUrl());
      Files.writeString(other.resolve("service-account.json"), json);
      try (var wrong =
          new VeoUpstream(
              fields(Map.of("credentials", other.resolve("service-account.json").toString())),
              Mp4Check::verify,
              (c, o) -> {})) {
        assertThatThrownBy(() -> wrong.create(request(1, false), Optional.empty()))
            .isInstanceOf(UpstreamException.class);
      }
    }
    assertThat(fake.submits).isEmpty();
  }

  @Test
  void unreadableOrMissingCredentialsNameTheFileTheDeploymentAndTheField() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"type\":\"service_account\"");
    assertThatThrownBy(
            () ->
                new VeoUpstream(
                    fields(Map.of("credentials", bad.toString())), Mp4Check::verify, (c, o) -> {}))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("deployments file d.json")
        .hasMessageContaining("veo-eu")
        .hasMessageContaining("credentials")
        .hasMessageContaining("cannot read the Vertex AI credentials");
    assertThatThrownBy(
            () ->
                new VeoUpstream(
                    fields(Map.of("credentials", "missing.json")), Mp4Check::verify, (c, o) -> {}))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing.json")
        .hasMessageContaining("\"credentials\"");
    assertThatThrownBy(
            () -> new VeoUpstream(fields(Map.of("projekt", "x")), Mp4Check::verify, (c, o) -> {}))
        .hasMessageContaining("unknown field projekt");
  }

  @Test
  void safetyFilteredAllIsRejectedWithTheReasonsSomeIsDeliveredWithANote() throws Exception {
    try (var veo = veo()) {
      fake.veoOutcome = FakeGoogle.veoVideos(0, 2, "Sensitive words");
      assertThatThrownBy(() -> run(veo, request(2, false)))
          .isInstanceOf(UpstreamException.Rejected.class)
          .hasMessageContaining("safety filters removed every sample")
          .hasMessageContaining("Sensitive words");
      fake.veoOutcome = FakeGoogle.veoVideos(1, 1, "Child safety");
      Delivery d = run(veo, request(2, false));
      assertThat(d.samples()).isEqualTo(1);
      assertThat(d.filtered()).isEqualTo(1);
      assertThat(d.notes()).singleElement().asString().contains("1 of 2 samples were removed");
    }
  }

  @Test
  void anOperationErrorIsRejectedWithGooglesMessage() throws Exception {
    try (var veo = veo()) {
      fake.veoOutcome = FakeGoogle.error(3, "Image is invalid");
      assertThatThrownBy(() -> run(veo, request(1, false)))
          .isInstanceOf(UpstreamException.Rejected.class)
          .hasMessageContaining("Image is invalid")
          .hasMessageContaining("code 3");
    }
  }

  @Test
  void quotaIsThrottledARegionThatIsDownIsUnavailableAndNeitherStartsAnything() throws Exception {
    try (var veo = veo()) {
      fake.rejectSubmitsWith429 = 1;
      assertThatThrownBy(() -> veo.create(request(1, false), Optional.empty()))
          .isInstanceOf(UpstreamException.Throttled.class)
          .hasMessageContaining("429");
      fake.down.add("europe-west4");
      assertThatThrownBy(() -> veo.create(request(1, false), Optional.empty()))
          .isInstanceOf(UpstreamException.Unavailable.class)
          .hasMessageContaining("503");
      assertThat(fake.submits).isEmpty();
      fake.down.clear();
      assertThat(run(veo, request(1, true)).samples()).isEqualTo(1);
      assertThat(fake.submits.getFirst().at("/parameters/generateAudio").asBoolean()).isTrue();
    }
  }

  @Test
  void nothingListeningIsUnavailableNotAmbiguous() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (var veo =
        new VeoUpstream(
            fields(Map.of("base_url", "http://127.0.0.1:" + port)),
            Mp4Check::verify,
            (c, o) -> {})) {
      assertThatThrownBy(() -> veo.create(request(1, false), Optional.empty()))
          .isInstanceOf(UpstreamException.Unavailable.class);
    }
  }
}
