package dev.tween.comfyui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tween.config.DeploymentSpec;
import dev.tween.engine.VideoFit;
import dev.tween.gateway.Delivery;
import dev.tween.gateway.OperationRequest;
import dev.tween.gateway.OperationState;
import dev.tween.gateway.Upstream;
import dev.tween.gateway.UpstreamException;
import dev.tween.generate.GenerationRequest;
import dev.tween.generate.InputImage;
import dev.tween.generate.VideoOptions;
import dev.tween.testing.FFprobe;
import dev.tween.testing.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comfyui upstream against a local ComfyUI that speaks the real server's JSON. */
class ComfyUpstreamTest {
  static final byte[] FIRST = Images.png(320, 180, 0);
  static final byte[] LAST = Images.png(320, 180, 60);

  @TempDir Path dir;
  FakeComfyUi comfy;
  Upstream upstream;

  @BeforeEach
  void start() throws Exception {
    comfy = new FakeComfyUi(Files.createDirectories(dir.resolve("comfy")));
    comfy.expectFrames(FIRST, LAST);
  }

  @AfterEach
  void stop() {
    if (upstream != null) upstream.close();
    comfy.close();
  }

  private Upstream open(Path workflow) {
    DeploymentSpec spec = Deployments.spec("gpu-1", comfy.baseUrl(), workflow, null);
    upstream = ComfyUi.open(spec, VideoFit::fit, Clock.systemUTC());
    return upstream;
  }

  private Upstream small() throws Exception {
    return open(Deployments.fixedSize(dir, 320, 176));
  }

  static VideoOptions options(int samples, long seed, Optional<String> negative) {
    return new VideoOptions(
        "a red box slides right",
        negative,
        4,
        VideoOptions.Resolution.P720,
        VideoOptions.AspectRatio.LANDSCAPE,
        samples,
        seed,
        true,
        true,
        false,
        VideoOptions.PersonGeneration.ALLOW_ADULT);
  }

  static OperationRequest op(int index, VideoOptions o) {
    var req =
        new GenerationRequest(
            new InputImage(FIRST, InputImage.Format.PNG),
            new InputImage(LAST, InputImage.Format.PNG),
            o);
    return OperationRequest.of("task-1", index, req);
  }

  private String create(OperationRequest op) throws UpstreamException {
    return upstream.create(op, upstream.chooseId());
  }

  private OperationState.Finished finish(String id) {
    var done = new AtomicReference<OperationState.Finished>();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              if (upstream.poll(id) instanceof OperationState.Finished f) done.set(f);
              return done.get() != null;
            });
    return done.get();
  }

  private void failsWith(String id, String... parts) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> upstream.poll(id))
                    .isInstanceOf(UpstreamException.Rejected.class)
                    .message()
                    .contains(parts));
  }

  @Test
  void theShippedTemplateMakesAVideoOfTheRequestedSize() throws Exception {
    open(Deployments.WAN);
    VideoOptions o = options(1, 4_294_967_295L, Optional.of("blurry"));
    OperationRequest op = op(0, o);
    String id = create(op);
    Path out = dir.resolve("sample.mp4");
    Delivery d = upstream.deliver(id, finish(id), op.request().options(), k -> out);

    assertThat(d.samples()).isEqualTo(1);
    assertThat(d.notes()).isEmpty();
    assertThat(comfy.problems()).isEmpty();
    var seen = comfy.seen().getFirst();
    assertThat(seen.promptId()).isEqualTo(id);
    assertThat(seen.positive()).isEqualTo("a red box slides right");
    assertThat(seen.negative()).isEqualTo("blurry");
    assertThat(seen.seed()).isEqualTo(4_294_967_295L);
    assertThat(seen.width()).isEqualTo(1280);
    assertThat(seen.height()).isEqualTo(720);
    assertThat(seen.frames()).isEqualTo(4 * 16 + 1);
    assertThat(seen.fps()).isEqualTo(16);
    var v = FFprobe.video(out);
    assertThat(v.codec()).isEqualTo("h264");
    assertThat(v.width()).isEqualTo(1280);
    assertThat(v.height()).isEqualTo(720);
    assertThat(v.frames()).isEqualTo(65);
    assertThat(v.frameRate()).isEqualTo("16/1");
    assertThat(comfy.promptCalls(id)).isEqualTo(1);
    assertThat(dir.resolve("sample.mp4.comfyui")).doesNotExist();
  }

  @Test
  void aThousandAndEightyLineRequestIsMadeAtMultiplesOf16AndCroppedBack() throws Exception {
    open(Deployments.WAN);
    var o =
        new VideoOptions(
            "p",
            Optional.empty(),
            4,
            VideoOptions.Resolution.P1080,
            VideoOptions.AspectRatio.PORTRAIT,
            1,
            7,
            true,
            true,
            false,
            VideoOptions.PersonGeneration.ALLOW_ADULT);
    OperationRequest op = op(0, o);
    String id = create(op);
    Path out = dir.resolve("tall.mp4");
    upstream.deliver(id, finish(id), op.request().options(), k -> out);
    assertThat(comfy.seen().getFirst().width()).isEqualTo(1088);
    assertThat(comfy.seen().getFirst().height()).isEqualTo(1920);
    assertThat(comfy.seen().getFirst().negative()).isEmpty();
    assertThat(FFprobe.video(out).width()).isEqualTo(1080);
    assertThat(FFprobe.video(out).height()).isEqualTo(1920);
  }

  @Test
  void twoSamplesAreTwoPromptsWithSeedAndSeedPlusOne() throws Exception {
    small();
    VideoOptions o = options(2, 41, Optional.empty());
    assertThat(ComfyUi.model().operations(o)).isEqualTo(2);
    String a = create(op(0, o));
    String b = create(op(1, o));
    assertThat(a).isNotEqualTo(b);
    for (int i = 0; i < 2; i++) {
      String id = i == 0 ? a : b;
      Path out = dir.resolve("s" + i + ".mp4");
      upstream.deliver(id, finish(id), o, k -> out);
      assertThat(FFprobe.video(out).width()).isEqualTo(1280);
      assertThat(FFprobe.video(out).height()).isEqualTo(720);
    }
    assertThat(comfy.seen()).extracting(FakeComfyUi.Seen::seed).containsExactly(41L, 42L);
    assertThat(comfy.seen()).extracting(FakeComfyUi.Seen::width).containsOnly(320);
    assertThat(comfy.problems()).isEmpty();
    assertThat(comfy.promptCalls()).isEqualTo(2);
    // Both samples share one upload of each frame.
    assertThat(Files.list(comfy.input)).hasSize(2);
  }

  @Test
  void progressComesFromTheSocket() throws Exception {
    small();
    await().until(() -> comfy.sockets() == 1);
    comfy.hold();
    String id = create(op(0, options(1, 1, Optional.empty())));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                upstream.poll(id) instanceof OperationState.Running r
                    && r.fraction().isPresent()
                    && r.fraction().getAsDouble() > 0);
    var r = (OperationState.Running) upstream.poll(id);
    // One step of the first of two samplers of 10 steps each.
    assertThat(r.fraction().getAsDouble()).isEqualTo(0.05);
    comfy.release();
    finish(id);
  }

  @Test
  void aNodeErrorIsRejectedWithTheNodeItsClassAndComfyUisMessage() throws Exception {
    small();
    comfy.failNextWithNodeError("76");
    assertThatThrownBy(() -> create(op(0, options(1, 1, Optional.empty()))))
        .isInstanceOf(UpstreamException.Rejected.class)
        .hasMessage(
            "ComfyUI rejected the workflow: node 76 (UNETLoader): Value not in list: unet_name:"
                + " 'wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors' not in []");
  }

  @Test
  void anExecutionErrorIsRejectedWithTheExceptionMessage() throws Exception {
    small();
    comfy.failNextExecution("85", "torch.OutOfMemoryError", "Allocation on device \n");
    String id = create(op(0, options(1, 1, Optional.empty())));
    failsWith(
        id, "ComfyUI failed at node 85 (VAEDecode): Allocation on device (torch.OutOfMemoryError)");
  }

  @Test
  void cancelDeletesAPendingPromptAndInterruptsTheRunningOne() throws Exception {
    small();
    comfy.hold();
    String running = create(op(0, options(2, 1, Optional.empty())));
    String waiting = create(op(1, options(2, 1, Optional.empty())));
    await().until(() -> running.equals(comfy.running()));
    assertThat(comfy.pending()).containsExactly(waiting);

    upstream.cancel(waiting);
    assertThat(comfy.pending()).isEmpty();
    assertThat(comfy.interrupts()).isZero();

    upstream.cancel(running);
    assertThat(comfy.interrupts()).isEqualTo(1);
    failsWith(running, "interrupted");
    assertThat(comfy.seen()).hasSize(2);
  }

  @Test
  void aServerThatGoesAwayIsUnavailableAndItsPromptResumes() throws Exception {
    small();
    comfy.hold();
    String id = create(op(0, options(1, 1, Optional.empty())));
    comfy.goAway();
    assertThatThrownBy(() -> upstream.poll(id)).isInstanceOf(UpstreamException.Unavailable.class);
    assertThatThrownBy(() -> upstream.exists(id)).isInstanceOf(UpstreamException.Unavailable.class);
    assertThatThrownBy(() -> create(op(0, options(1, 2, Optional.empty()))))
        .isInstanceOf(UpstreamException.Unavailable.class)
        .hasMessageContaining("does not answer");
    comfy.comeBack();
    comfy.release();
    finish(id);
    assertThat(comfy.promptCalls()).isEqualTo(1);
  }

  @Test
  void aRestartedServerHasLostThePrompt() throws Exception {
    small();
    comfy.hold();
    String id = create(op(0, options(1, 1, Optional.empty())));
    comfy.restart();
    assertThatThrownBy(() -> upstream.poll(id))
        .isInstanceOf(UpstreamException.Lost.class)
        .hasMessageContaining("no longer knows prompt " + id);
  }

  @Test
  void existsTellsAQueuedPromptFromOneNeverSent() throws Exception {
    small();
    comfy.hold();
    String sent = create(op(0, options(1, 1, Optional.empty())));
    assertThat(upstream.exists(sent)).isTrue();
    assertThat(upstream.exists(upstream.chooseId().orElseThrow())).isFalse();
    comfy.release();
    finish(sent);
    assertThat(upstream.exists(sent)).isTrue();
  }

  @Test
  void aCreateRepeatedWithTheSameIdQueuesNothingTwice() throws Exception {
    small();
    comfy.hold();
    OperationRequest op = op(0, options(1, 1, Optional.empty()));
    String id = upstream.chooseId().orElseThrow();
    assertThat(upstream.create(op, Optional.of(id))).isEqualTo(id);
    assertThat(upstream.create(op, Optional.of(id))).isEqualTo(id);
    assertThat(comfy.promptCalls(id)).isEqualTo(1);
    comfy.release();
  }

  @Test
  void videoHelperSuiteWebmOutputIsDeliveredAsH264() throws Exception {
    Path vhs = dir.resolve("vhs.json");
    String wan = Files.readString(Deployments.fixedSize(dir, 320, 176));
    Files.writeString(
        vhs,
        wan.replace(
            "\"class_type\": \"SaveVideo\",\n    \"inputs\": {\"filename_prefix\": \"video/tween\","
                + " \"format\": \"auto\", \"codec\": \"auto\", \"video\": [\"86\", 0]}",
            "\"class_type\": \"VHS_VideoCombine\",\n    \"inputs\": {\"filename_prefix\":"
                + " \"tween\", \"frame_rate\": \"{{fps}}\", \"format\": \"video/webm\","
                + " \"images\": [\"85\", 0]}"));
    assertThat(Files.readString(vhs)).contains("VHS_VideoCombine");
    comfy.format = FakeComfyUi.Output.WEBM;
    open(vhs);
    OperationRequest op = op(0, options(1, 1, Optional.empty()));
    String id = create(op);
    Path out = dir.resolve("vhs.mp4");
    upstream.deliver(id, finish(id), op.request().options(), k -> out);
    assertThat(FFprobe.video(out).codec()).isEqualTo("h264");
    assertThat(FFprobe.video(out).frames()).isEqualTo(65);
  }

  @Test
  void aWorkflowWithoutNegativePromptSaysItIgnoredOne() throws Exception {
    Path flow = dir.resolve("no-negative.json");
    Files.writeString(
        flow,
        Files.readString(Deployments.fixedSize(dir, 320, 176))
            .replace("\"{{negative_prompt}}\"", "\"static, blurry\""));
    open(flow);
    OperationRequest op = op(0, options(1, 1, Optional.of("text")));
    String id = create(op);
    Delivery d =
        upstream.deliver(id, finish(id), op.request().options(), k -> dir.resolve("n.mp4"));
    assertThat(d.notes())
        .containsExactly(
            "negative_prompt was ignored: the workflow of deployment gpu-1 has no"
                + " {{negative_prompt}}");
    assertThat(comfy.seen().getFirst().negative()).isEqualTo("static, blurry");
  }
}
