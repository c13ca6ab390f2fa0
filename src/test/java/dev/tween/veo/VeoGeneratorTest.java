package dev.tween.veo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tween.engine.Mp4Check;
import dev.tween.engine.TweenEngine;
import dev.tween.generate.GenerationException;
import dev.tween.generate.GenerationJob;
import dev.tween.generate.GenerationRequest;
import dev.tween.generate.InputImage;
import dev.tween.generate.UnsupportedRequestException;
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

/** The Veo generator through the real google-genai SDK against a local fake of the Gemini API. */
class VeoGeneratorTest {
  static byte[] mp4;
  @TempDir static Path shared;
  @TempDir Path dir;
  FakeGemini fake;

  @BeforeAll
  static void sampleVideo() throws Exception {
    Path f = shared.resolve("sample.mp4");
    var img = Images.scene(64, 36, 0);
    new TweenEngine().render(img, img, new TweenEngine.Clip(64, 36, 24, 1, false), List.of(f), p -> { }, () -> false);
    mp4 = Files.readAllBytes(f);
  }

  @BeforeEach
  void start() throws Exception {
    fake = new FakeGemini(mp4);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  VeoGenerator generator(String key, int concurrency) {
    var config = new VeoConfig(VeoConfig.Backend.GEMINI, key, "", "", Optional.empty(),
        VeoConfig.defaultModel(VeoConfig.Backend.GEMINI), Optional.of(URI.create(fake.baseUrl())),
        Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMinutes(1), concurrency, 4, Duration.ofSeconds(1));
    return new VeoGenerator(config, Clock.systemUTC(), Mp4Check::verify);
  }

  static GenerationRequest request(int samples, boolean audio, boolean seedGiven) {
    byte[] png = Images.png(64, 36, 0);
    return new GenerationRequest(new InputImage(png, InputImage.Format.PNG), new InputImage(png, InputImage.Format.PNG),
        new VideoOptions("a slow pan", Optional.of("blur"), 6, VideoOptions.Resolution.P1080,
            VideoOptions.AspectRatio.PORTRAIT, samples, 1234, seedGiven, false, audio, VideoOptions.PersonGeneration.DONT_ALLOW));
  }

  /** A job like the worker's: files in a directory, resume state in memory, cancel by flag. */
  final class Job implements GenerationJob {
    final GenerationRequest request;
    Optional<String> resume = Optional.empty();
    final AtomicBoolean cancel = new AtomicBoolean();

    Job(GenerationRequest request) {
      this.request = request;
    }

    public String taskId() { return "t1"; }
    public GenerationRequest request() { return request; }
    public Path sampleFile(int i) { return dir.resolve("s" + i + ".mp4"); }
    public void progress(double f) { }
    public boolean canceled() { return cancel.get(); }
    public Optional<String> resumeState() { return resume; }
    public void saveResumeState(String s) { resume = Optional.of(s); }
  }

  @Test
  void everyFieldIsMappedAndEverySampleDownloadedAndVerified() throws Exception {
    try (var veo = generator(FakeGemini.KEY, 2)) {
      var job = new Job(request(2, false, false));
      var result = veo.generate(job);
      assertThat(result.samples()).isEqualTo(2);
      assertThat(result.note()).isEmpty();
      assertThat(Files.readAllBytes(job.sampleFile(0))).isEqualTo(mp4);
      assertThat(Files.readAllBytes(job.sampleFile(1))).isEqualTo(mp4);
      assertThat(fake.submits).hasSize(1);
      var body = fake.submits.getFirst();
      assertThat(body.at("/instances/0/prompt").asText()).isEqualTo("a slow pan");
      assertThat(body.at("/instances/0/image/bytesBase64Encoded").asText()).isNotEmpty();
      assertThat(body.at("/instances/0/lastFrame/bytesBase64Encoded").asText()).isNotEmpty();
      assertThat(body.at("/parameters/sampleCount").asInt()).isEqualTo(2);
      assertThat(body.at("/parameters/durationSeconds").asInt()).isEqualTo(6);
      assertThat(body.at("/parameters/resolution").asText()).isEqualTo("1080p");
      assertThat(body.at("/parameters/aspectRatio").asText()).isEqualTo("9:16");
      assertThat(body.at("/parameters/negativePrompt").asText()).isEqualTo("blur");
      assertThat(body.at("/parameters/personGeneration").asText()).isEqualTo("dont_allow");
      assertThat(body.at("/parameters").has("seed")).as("Gemini rejects seed").isFalse();
      assertThat(body.at("/parameters").has("generateAudio")).isFalse();
    }
  }

  @Test
  void geminiRefusesAudioAtSubmitAndReportsADroppedSeed() throws Exception {
    try (var veo = generator(FakeGemini.KEY, 1)) {
      assertThatThrownBy(() -> veo.checkSupported(request(1, true, false)))
          .isInstanceOf(UnsupportedRequestException.class)
          .satisfies(e -> assertThat(((UnsupportedRequestException) e).field()).isEqualTo("generate_audio"))
          .hasMessageContaining("Gemini");
      fake.outcome = FakeGemini.videos(1, 0);
      var result = veo.generate(new Job(request(1, false, true)));
      assertThat(result.note()).contains("seed 1234 was not sent");
    }
  }

  @Test
  void safetyFilteredAllFailsWithTheReasonsSomeSucceedsWithANote() throws Exception {
    try (var veo = generator(FakeGemini.KEY, 1)) {
      fake.outcome = FakeGemini.videos(0, 2, "Sensitive words");
      assertThatThrownBy(() -> veo.generate(new Job(request(2, false, false))))
          .isInstanceOf(GenerationException.class).hasMessageContaining("safety filters removed every sample")
          .hasMessageContaining("Sensitive words")
          .satisfies(e -> assertThat(((GenerationException) e).retryable()).isFalse());
      fake.outcome = FakeGemini.videos(1, 1, "Child safety");
      var result = veo.generate(new Job(request(2, false, false)));
      assertThat(result.samples()).isEqualTo(1);
      assertThat(result.note()).contains("1 of 2 samples were removed").contains("Child safety");
    }
  }

  @Test
  void operationErrorAndEmptyResultAreFailuresWithReasons() throws Exception {
    try (var veo = generator(FakeGemini.KEY, 1)) {
      fake.outcome = FakeGemini.error(3, "Image is invalid");
      assertThatThrownBy(() -> veo.generate(new Job(request(1, false, false))))
          .hasMessageContaining("Image is invalid").hasMessageContaining("code 3");
      fake.outcome = "{\"response\":{\"generateVideoResponse\":{}}}";
      assertThatThrownBy(() -> veo.generate(new Job(request(1, false, false))))
          .hasMessageContaining("without returning any video");
    }
  }

  @Test
  void rateLimitedSubmitsAreRetried() throws Exception {
    try (var veo = generator(FakeGemini.KEY, 1)) {
      fake.rejectSubmitsWith429 = 2;
      assertThat(veo.generate(new Job(request(1, false, false))).samples()).isEqualTo(1);
      assertThat(fake.submits).hasSize(1);
    }
  }

  @Test
  void aRejectedKeyIsSaidPlainly() throws Exception {
    try (var veo = generator("wrong-key", 1)) {
      assertThatThrownBy(() -> veo.generate(new Job(request(1, false, false))))
          .isInstanceOf(GenerationException.class).hasMessageContaining("rejected")
          .satisfies(e -> assertThat(((GenerationException) e).retryable()).isFalse());
    }
  }

  @Test
  void aCrashDuringPollingResumesTheStoredOperationWithoutASecondSubmit() throws Exception {
    try (var veo = generator(FakeGemini.KEY, 1)) {
      fake.hangPolls = true;
      var first = new Job(request(1, false, false));
      var running = CompletableFuture.runAsync(() -> {
        try {
          veo.generate(first);
        } catch (GenerationException e) {
          // the "crash": the attempt stops
        }
      });
      org.awaitility.Awaitility.await().until(() -> first.resume.isPresent() && fake.polls.get() > 2);
      first.cancel.set(true);
      running.get();
      fake.hangPolls = false;
      var second = new Job(request(1, false, false));
      second.resume = first.resume;
      assertThat(veo.generate(second).samples()).isEqualTo(1);
      assertThat(fake.submits).as("one upstream submit in all").hasSize(1);
    }
  }

  @Test
  void concurrencyTowardsUpstreamIsBounded() throws Exception {
    fake.pollsBeforeDone = 6;
    try (var veo = generator(FakeGemini.KEY, 1)) {
      List<CompletableFuture<Integer>> runs = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        runs.add(CompletableFuture.supplyAsync(() -> {
          try {
            return veo.generate(new Job(request(1, false, false))).samples();
          } catch (GenerationException e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      for (var r : runs) assertThat(r.get()).isEqualTo(1);
      assertThat(fake.submits).hasSize(3);
      assertThat(fake.maxInFlight.get()).isEqualTo(1);
    }
  }

  @Test
  void vertexExpressModeSendsSeedAndAudioAndTakesInlineSamples() throws Exception {
    var config = new VeoConfig(VeoConfig.Backend.VERTEX, FakeGemini.KEY, "", "", Optional.empty(),
        VeoConfig.defaultModel(VeoConfig.Backend.VERTEX), Optional.of(URI.create(fake.baseUrl())),
        Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMinutes(1), 1, 4, Duration.ofSeconds(1));
    try (var veo = new VeoGenerator(config, Clock.systemUTC(), Mp4Check::verify)) {
      veo.checkSupported(request(1, true, true));
      var job = new Job(request(1, true, true));
      var result = veo.generate(job);
      assertThat(result.samples()).isEqualTo(1);
      assertThat(Files.readAllBytes(job.sampleFile(0))).isEqualTo(mp4);
      var params = fake.submits.getFirst().at("/parameters");
      assertThat(params.get("seed").asLong()).isEqualTo(1234);
      assertThat(params.get("generateAudio").asBoolean()).isTrue();
      assertThat(fake.downloads.get()).as("Vertex returns the bytes inline").isZero();
    }
  }
}
