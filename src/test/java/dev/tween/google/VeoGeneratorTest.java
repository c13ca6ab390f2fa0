package dev.tween.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tween.engine.Mp4Check;
import dev.tween.engine.TweenEngine;
import dev.tween.generate.GenerationException;
import dev.tween.generate.GenerationJob;
import dev.tween.generate.GenerationRequest;
import dev.tween.generate.InputImage;
import dev.tween.generate.VideoOptions;
import dev.tween.testing.Images;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Veo generator through the real google-genai SDK and a real service-account token flow,
 * against a local fake of Vertex AI.
 */
class VeoGeneratorTest {
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

  VeoConfig config(Optional<Path> credentials, int concurrency) {
    return new VeoConfig(
        "fake-project",
        "us-central1",
        credentials,
        VeoConfig.DEFAULT_MODEL,
        Optional.of(URI.create(fake.baseUrl())),
        new Polling(
            Duration.ofMillis(20),
            Duration.ofMillis(100),
            Duration.ofMinutes(1),
            concurrency,
            4,
            Duration.ofSeconds(1)));
  }

  VeoGenerator generator(int concurrency) throws Exception {
    return new VeoGenerator(
        config(Optional.of(fake.serviceAccountJson(dir)), concurrency),
        Clock.systemUTC(),
        Mp4Check::verify);
  }

  static GenerationRequest request(int samples, boolean audio, boolean seedGiven) {
    byte[] png = Images.png(64, 36, 0);
    return new GenerationRequest(
        new InputImage(png, InputImage.Format.PNG),
        new InputImage(png, InputImage.Format.PNG),
        new VideoOptions(
            "a slow pan",
            Optional.of("blur"),
            6,
            VideoOptions.Resolution.P1080,
            VideoOptions.AspectRatio.PORTRAIT,
            samples,
            1234,
            seedGiven,
            false,
            audio,
            VideoOptions.PersonGeneration.DONT_ALLOW));
  }

  /** A job like the worker's: files in a directory, resume state in memory, cancel by flag. */
  final class Job implements GenerationJob {
    final GenerationRequest request;
    Optional<String> resume = Optional.empty();
    final AtomicBoolean cancel = new AtomicBoolean();

    Job(GenerationRequest request) {
      this.request = request;
    }

    public String taskId() {
      return "t1";
    }

    public GenerationRequest request() {
      return request;
    }

    public Path sampleFile(int i) {
      return dir.resolve("s" + i + ".mp4");
    }

    public void progress(double f) {}

    public boolean canceled() {
      return cancel.get();
    }

    public Optional<String> resumeState() {
      return resume;
    }

    public void saveResumeState(String s) {
      resume = Optional.of(s);
    }
  }

  @Test
  void everyFieldIsSentAsGivenWithATokenFromTheServiceAccount() throws Exception {
    fake.veoOutcome = FakeGoogle.veoVideos(2, 0);
    try (var veo = generator(2)) {
      var job = new Job(request(2, false, true));
      var result = veo.generate(job);
      assertThat(result.samples()).isEqualTo(2);
      assertThat(result.note())
          .contains("seed 1234 was sent")
          .contains("does not pin every sample");
      assertThat(Files.readAllBytes(job.sampleFile(0))).isEqualTo(mp4);
      assertThat(Files.readAllBytes(job.sampleFile(1))).isEqualTo(mp4);
      assertThat(fake.tokens.get())
          .as("a token was obtained with the signed JWT assertion")
          .isGreaterThanOrEqualTo(1);
      assertThat(fake.submits).hasSize(1);
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
  void audioTrueIsSentAndTheEndpointRefusesARequestWithoutTheToken() throws Exception {
    try (var veo = generator(1)) {
      veo.generate(new Job(request(1, true, false)));
      assertThat(fake.submits.getFirst().at("/parameters/generateAudio").asBoolean()).isTrue();
    }
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    var forged = new FakeGoogle(mp4);
    try (forged;
        var veo =
            new VeoGenerator(
                config(Optional.of(forged.serviceAccountJson(other)), 1),
                Clock.systemUTC(),
                Mp4Check::verify)) {
      // A key the fake's token endpoint does not know: signed, but by someone else.
      String json =
          Files.readString(other.resolve("service-account.json"))
              .replace(forged.baseUrl(), fake.baseUrl());
      Files.writeString(other.resolve("service-account.json"), json);
      try (var wrong =
          new VeoGenerator(
              config(Optional.of(other.resolve("service-account.json")), 1),
              Clock.systemUTC(),
              Mp4Check::verify)) {
        assertThatThrownBy(() -> wrong.generate(new Job(request(1, false, false))))
            .isInstanceOf(GenerationException.class);
      }
    }
    assertThat(fake.submits).hasSize(1);
  }

  @Test
  void unreadableCredentialsStopTheNodeFromStarting() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"type\":\"service_account\"");
    assertThatThrownBy(
            () ->
                new VeoGenerator(config(Optional.of(bad), 1), Clock.systemUTC(), Mp4Check::verify))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot read the Vertex AI credentials")
        .hasMessageContaining("--veo-credentials");
    assertThatThrownBy(
            () ->
                new VeoGenerator(
                    config(Optional.of(dir.resolve("missing.json")), 1),
                    Clock.systemUTC(),
                    Mp4Check::verify))
        .hasMessageContaining("missing.json");
  }

  @Test
  void safetyFilteredAllFailsWithTheReasonsSomeSucceedsWithANote() throws Exception {
    try (var veo = generator(1)) {
      fake.veoOutcome = FakeGoogle.veoVideos(0, 2, "Sensitive words");
      assertThatThrownBy(() -> veo.generate(new Job(request(2, false, false))))
          .isInstanceOf(GenerationException.class)
          .hasMessageContaining("safety filters removed every sample")
          .hasMessageContaining("Sensitive words")
          .satisfies(e -> assertThat(((GenerationException) e).retryable()).isFalse());
      fake.veoOutcome = FakeGoogle.veoVideos(1, 1, "Child safety");
      var result = veo.generate(new Job(request(2, false, false)));
      assertThat(result.samples()).isEqualTo(1);
      assertThat(result.filtered()).isEqualTo(1);
      assertThat(result.note()).contains("1 of 2 samples were removed").contains("Child safety");
    }
  }

  @Test
  void operationErrorIsAFailureWithGooglesMessage() throws Exception {
    try (var veo = generator(1)) {
      fake.veoOutcome = FakeGoogle.error(3, "Image is invalid");
      assertThatThrownBy(() -> veo.generate(new Job(request(1, false, false))))
          .hasMessageContaining("Image is invalid")
          .hasMessageContaining("code 3");
    }
  }

  @Test
  void rateLimitedSubmitsAreRetried() throws Exception {
    try (var veo = generator(1)) {
      fake.rejectSubmitsWith429 = 2;
      assertThat(veo.generate(new Job(request(1, false, false))).samples()).isEqualTo(1);
      assertThat(fake.submits).hasSize(1);
    }
  }

  @Test
  void aCrashDuringPollingResumesTheStoredOperationWithoutASecondSubmit() throws Exception {
    try (var veo = generator(1)) {
      fake.hangPolls = true;
      var first = new Job(request(1, false, false));
      var running =
          CompletableFuture.runAsync(
              () -> {
                try {
                  veo.generate(first);
                } catch (GenerationException e) {
                  // the "crash": the attempt stops
                }
              });
      org.awaitility.Awaitility.await()
          .until(() -> first.resume.isPresent() && fake.polls.get() > 2);
      first.cancel.set(true);
      running.get();
      fake.hangPolls = false;
      var second = new Job(request(1, false, false));
      second.resume = first.resume;
      assertThat(veo.generate(second).samples()).isEqualTo(1);
      assertThat(fake.submits).as("one upstream submit in all").hasSize(1);
    }
  }
}
