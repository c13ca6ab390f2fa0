package dev.tween.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tween.testing.FakeGenerator;
import dev.tween.testing.Images;
import dev.tween.testing.TestNode;
import java.nio.file.Path;
import java.util.Base64;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of the submit contract, through a real server: a 400 naming the field, and nothing
 * queued.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubmitValidationTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PNG = Images.dataUri(Images.png(64, 36, 0));
  static final String JPEG_B64 = Images.base64(Images.jpeg(64, 36, 4));

  @TempDir static Path dir;
  TestNode node;

  @BeforeAll
  void start() throws Exception {
    // A node with no workers: accepted tasks stay QUEUED, so counting them is exact.
    node =
        TestNode.start(
            dir, java.util.Optional.of(FakeGenerator.instant()), java.util.Map.of("workers", "0"));
  }

  @AfterAll
  void stop() {
    node.close();
  }

  static ObjectNode valid() {
    ObjectNode n = JSON.createObjectNode();
    n.put("image", PNG);
    n.put("last_frame_image", JPEG_B64);
    n.put("prompt", "a slow pan across a valley");
    return n;
  }

  static Arguments bad(String name, String field, Consumer<ObjectNode> change) {
    ObjectNode body = valid();
    change.accept(body);
    return Arguments.of(name, field, body.toString());
  }

  static Arguments raw(String name, String field, String body) {
    return Arguments.of(name, field, body);
  }

  static Stream<Arguments> badRequests() {
    String notImage =
        Base64.getEncoder().encodeToString("GIF89a not really a gif image".getBytes());
    return Stream.of(
        raw("malformed JSON", "body", "{\"image\": "),
        raw("trailing garbage", "body", "{\"prompt\":\"x\"} }"),
        raw("array body", "body", "[1,2,3]"),
        raw("string body", "body", "\"hello\""),
        raw("empty body", "body", ""),
        raw("duplicate key", "body", "{\"prompt\":\"a\",\"prompt\":\"b\"}"),
        bad("image missing", "image", b -> b.remove("image")),
        bad("image null", "image", b -> b.putNull("image")),
        bad("image number", "image", b -> b.put("image", 12)),
        bad("image empty", "image", b -> b.put("image", "")),
        bad("image ftp url", "image", b -> b.put("image", "ftp://example.com/a.png")),
        bad("image file url", "image", b -> b.put("image", "file:///etc/passwd")),
        bad("image gif bytes", "image", b -> b.put("image", notImage)),
        bad("image bad data uri", "image", b -> b.put("image", "data:text/plain;base64,aGVsbG8=")),
        bad("image data uri not base64", "image", b -> b.put("image", "data:image/png,rawbytes")),
        bad("image url without host", "image", b -> b.put("image", "http:///a.png")),
        bad("last frame missing", "last_frame_image", b -> b.remove("last_frame_image")),
        bad("last frame not image", "last_frame_image", b -> b.put("last_frame_image", notImage)),
        bad(
            "last_image alias not image",
            "last_image",
            b -> {
              b.remove("last_frame_image");
              b.put("last_image", notImage);
            }),
        bad("prompt missing", "prompt", b -> b.remove("prompt")),
        bad("prompt blank", "prompt", b -> b.put("prompt", "   ")),
        bad("prompt number", "prompt", b -> b.put("prompt", 5)),
        bad("prompt too long", "prompt", b -> b.put("prompt", "x".repeat(2001))),
        bad(
            "negative prompt too long",
            "negative_prompt",
            b -> b.put("negative_prompt", "y".repeat(2001))),
        bad("negative prompt object", "negative_prompt", b -> b.putObject("negative_prompt")),
        bad("seed negative", "seed", b -> b.put("seed", -1)),
        bad("seed too large", "seed", b -> b.put("seed", 4294967296L)),
        bad("seed fraction", "seed", b -> b.put("seed", 1.5)),
        bad("seed string", "seed", b -> b.put("seed", "12")),
        bad(
            "seed huge",
            "seed",
            b -> b.put("seed", new java.math.BigInteger("123456789012345678901234567890"))),
        bad("seed bool", "seed", b -> b.put("seed", true)),
        bad("duration 5", "duration", b -> b.put("duration", 5)),
        bad("duration 0", "duration", b -> b.put("duration", 0)),
        bad("duration string", "duration", b -> b.put("duration", "8")),
        bad("duration fraction", "duration", b -> b.put("duration", 4.5)),
        bad("duration_seconds alias 10", "duration_seconds", b -> b.put("duration_seconds", 10)),
        bad("resolution 4k", "resolution", b -> b.put("resolution", "4k")),
        bad("resolution number", "resolution", b -> b.put("resolution", 720)),
        bad("aspect 4:3", "aspect_ratio", b -> b.put("aspect_ratio", "4:3")),
        bad("aspect 1:1", "aspect_ratio", b -> b.put("aspect_ratio", "1:1")),
        bad("sample_count 0", "sample_count", b -> b.put("sample_count", 0)),
        bad("sample_count 5", "sample_count", b -> b.put("sample_count", 5)),
        bad("sample_count string", "sample_count", b -> b.put("sample_count", "2")),
        bad("enhance_prompt string", "enhance_prompt", b -> b.put("enhance_prompt", "true")),
        bad("generate_audio number", "generate_audio", b -> b.put("generate_audio", 1)),
        bad(
            "person_generation bad",
            "person_generation",
            b -> b.put("person_generation", "allow_all")),
        bad(
            "webhook not object",
            "extra.webhook",
            b -> b.putObject("extra").put("webhook", "http://x")),
        bad(
            "webhook ftp",
            "extra.webhook.url",
            b -> b.putObject("extra").putObject("webhook").put("url", "ftp://x/y")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void rejectedWith400NamingTheField(String name, String field, String body) throws Exception {
    long before = queued();
    var r = node.post("/v3/async/veo-3.1-lite-flf2v", TestNode.KEY, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode err = TestNode.json(r.body());
    assertThat(err.get("code").asText()).isEqualTo("INVALID_REQUEST_BODY");
    assertThat(err.get("reason").asText()).isEqualTo("INVALID_REQUEST_BODY");
    assertThat(err.get("message").asText()).startsWith(field + ":");
    assertThat(err.has("metadata")).isTrue();
    assertThat(queued()).as("a 400 queues nothing").isEqualTo(before);
  }

  static Stream<Arguments> acceptedBoundaries() {
    return Stream.of(
        bad("seed 0", "", b -> b.put("seed", 0)),
        bad("seed max", "", b -> b.put("seed", 4294967295L)),
        bad("seed null means random", "", b -> b.putNull("seed")),
        bad("duration 4", "", b -> b.put("duration", 4)),
        bad("duration 6", "", b -> b.put("duration", 6)),
        bad("duration_seconds alias", "", b -> b.put("duration_seconds", 6)),
        bad(
            "last_image alias",
            "",
            b -> {
              b.remove("last_frame_image");
              b.put("last_image", PNG);
            }),
        bad("1080p portrait", "", b -> b.put("resolution", "1080p").put("aspect_ratio", "9:16")),
        bad("sample_count 1", "", b -> b.put("sample_count", 1)),
        bad("sample_count 4", "", b -> b.put("sample_count", 4)),
        bad("prompt 2000 chars", "", b -> b.put("prompt", "é".repeat(2000))),
        bad(
            "all options",
            "",
            b ->
                b.put("negative_prompt", "blur")
                    .put("enhance_prompt", false)
                    .put("generate_audio", true)
                    .put("person_generation", "dont_allow")),
        bad("unknown fields ignored", "", b -> b.put("model", "whatever").put("foo", 1)),
        bad("image as https url", "", b -> b.put("image", "https://example.com/frame.png")),
        bad(
            "bare base64 with newlines",
            "",
            b -> b.put("image", JPEG_B64.replaceAll("(.{76})", "$1\n"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedBoundaries")
  void acceptedAndQueued(String name, String ignored, String body) throws Exception {
    long before = queued();
    String id = node.submit(body);
    assertThat(id).isNotBlank();
    assertThat(queued()).isEqualTo(before + 1);
    JsonNode result = node.result(id);
    assertThat(result.at("/task/status").asText()).isEqualTo("TASK_STATUS_QUEUED");
    long seed = Long.parseLong(result.at("/extra/seed").asText());
    assertThat(seed).isBetween(0L, 4294967295L);
    if (name.equals("seed max")) assertThat(seed).isEqualTo(4294967295L);
  }

  @Test
  void bodyOverTheLimitIs413() throws Exception {
    String huge = "{\"prompt\":\"" + "x".repeat(70 * 1024 * 1024) + "\"}";
    var r = node.post("/v3/async/veo-3.1-lite-flf2v", TestNode.KEY, huge);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(TestNode.json(r.body()).get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
  }

  @Test
  void imageOver20MbIsRefused() throws Exception {
    byte[] big = new byte[21 * 1024 * 1024];
    System.arraycopy(Images.png(8, 8, 0), 0, big, 0, 8);
    ObjectNode b = valid();
    b.put("image", Base64.getEncoder().encodeToString(big));
    var r = node.post("/v3/async/veo-3.1-lite-flf2v", TestNode.KEY, b.toString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(TestNode.json(r.body()).get("message").asText())
        .startsWith("image:")
        .contains("20 MiB");
  }

  private long queued() {
    return node.app().tasks().countByStatus().get(dev.tween.task.TaskStatus.QUEUED);
  }
}
