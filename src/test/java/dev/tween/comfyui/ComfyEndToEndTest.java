package dev.tween.comfyui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.testing.Bodies;
import dev.tween.testing.FFprobe;
import dev.tween.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node serving the comfyui generator through the public HTTP API, its deployments two fake
 * ComfyUI servers: what a studio with two GPU boxes sees.
 */
class ComfyEndToEndTest {
  static final String SEED_ROUTE = "/v3/async/veo-3.1-lite-flf2v";
  @TempDir Path dir;
  ComfyFarm farm;
  TestNode node;

  @AfterEach
  void stop() {
    if (node != null) node.close();
    if (farm != null) farm.close();
  }

  private void start(Path workflow, String generators) throws Exception {
    farm = new ComfyFarm(dir, workflow);
    node =
        TestNode.start(
            dir.resolve("node"),
            Optional.empty(),
            Map.of(
                "generator", generators,
                "deployments", farm.deployments.toString(),
                "lease-seconds", "5",
                "heartbeat-seconds", "1",
                "retry-base-seconds", "0"));
  }

  private void startSmall() throws Exception {
    start(
        Deployments.fixedSize(Files.createDirectories(dir.resolve("flows")), 320, 176), "comfyui");
  }

  private String submit(String body) throws Exception {
    return node.submit(body);
  }

  private JsonNode end(String id) {
    return node.awaitEnd(id, Duration.ofSeconds(120));
  }

  /** A task of one sample, and the box that runs its prompt, held after its first step. */
  private record Held(String id, FakeComfyUi box) {}

  private Held submitHeld() throws Exception {
    farm.a().hold();
    farm.b().hold();
    String id = submit(Bodies.simple(1));
    await().atMost(Duration.ofSeconds(30)).until(() -> farm.busy() != null);
    return new Held(id, farm.busy());
  }

  private JsonNode succeeded(String id) {
    JsonNode done = end(id);
    assertThat(done.at("/task/status").asText())
        .as(done.toString())
        .isEqualTo("TASK_STATUS_SUCCEED");
    return done;
  }

  private Path video(JsonNode done, int i) throws Exception {
    Path f = dir.resolve("got-" + System.nanoTime() + ".mp4");
    Files.write(f, node.download(done.at("/videos/" + i + "/video_url").asText(), Map.of()).body());
    return f;
  }

  @Test
  void theShippedWorkflowOnTheSeedRouteMakesTheRequestedVideo() throws Exception {
    start(Deployments.WAN, "comfyui");
    JsonNode done = succeeded(submit(Bodies.simple(1)));
    assertThat(done.at("/task/progress_percent").asInt()).isEqualTo(100);
    assertThat(done.at("/extra/seed").asText()).isEqualTo("7");
    var v = FFprobe.video(video(done, 0));
    assertThat(v.codec()).isEqualTo("h264");
    assertThat(v.width()).isEqualTo(1280);
    assertThat(v.height()).isEqualTo(720);
    assertThat(v.frames()).isEqualTo(65);
    assertThat(v.frameRate()).isEqualTo("16/1");
    assertThat(farm.problems()).isEmpty();
    var seen = farm.seen().getFirst();
    assertThat(seen.positive()).isEqualTo("pan");
    assertThat(seen.seed()).isEqualTo(7);
    assertThat(seen.width()).isEqualTo(1280);
    assertThat(seen.height()).isEqualTo(720);
    assertThat(seen.frames()).isEqualTo(65);
    assertThat(farm.promptCalls()).isEqualTo(1);
  }

  @Test
  void twoSamplesAreTwoPromptsWithSeedsSevenAndEight() throws Exception {
    startSmall();
    JsonNode done = succeeded(submit(Bodies.simple(2)));
    assertThat(done.get("videos")).hasSize(2);
    for (int i = 0; i < 2; i++) {
      var v = FFprobe.video(video(done, i));
      assertThat(v.width()).isEqualTo(1280);
      assertThat(v.height()).isEqualTo(720);
    }
    assertThat(farm.seen()).extracting(FakeComfyUi.Seen::seed).containsExactlyInAnyOrder(7L, 8L);
    assertThat(farm.promptCalls()).isEqualTo(2);
    assertThat(farm.problems()).isEmpty();
  }

  @Test
  void itsOwnRouteWhenTheNodeServesSeveralModels() throws Exception {
    start(
        Deployments.fixedSize(Files.createDirectories(dir.resolve("flows")), 320, 176),
        "local,comfyui");
    var r = node.post("/v3/async/comfyui-flf2v", TestNode.KEY, Bodies.simple(1));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode done = succeeded(TestNode.json(r.body()).get("task_id").asText());
    assertThat(done.at("/task/task_type").asText()).isEqualTo("COMFYUI_FLF2V");
    assertThat(node.get("/v3/models", TestNode.KEY).body()).contains("/v3/async/comfyui-flf2v");
  }

  @Test
  void audioIsA400NamingTheFieldAndQueuesNothing() throws Exception {
    startSmall();
    var r =
        node.post(
            SEED_ROUTE,
            TestNode.KEY,
            Bodies.simple(1)
                .replace("\"duration\": 4", "\"duration\": 4, \"generate_audio\": true"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("INVALID_REQUEST_BODY").contains("generate_audio");
    assertThat(farm.promptCalls()).isZero();
  }

  @Test
  void aNodeErrorFailsTheTaskWithTheNodeItsClassAndComfyUisMessage() throws Exception {
    startSmall();
    farm.a().failNextWithNodeError("76");
    farm.b().failNextWithNodeError("76");
    JsonNode done = end(submit(Bodies.simple(1)));
    assertThat(done.at("/task/status").asText()).isEqualTo("TASK_STATUS_FAILED");
    assertThat(done.at("/task/reason").asText())
        .contains("node 76 (UNETLoader)")
        .contains("Value not in list")
        .contains("wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors");
  }

  @Test
  void anExecutionErrorFailsTheTaskWithTheExceptionMessage() throws Exception {
    startSmall();
    for (FakeComfyUi box : farm.boxes)
      box.failNextExecution("85", "torch.OutOfMemoryError", "Allocation on device");
    JsonNode done = end(submit(Bodies.simple(1)));
    assertThat(done.at("/task/status").asText()).isEqualTo("TASK_STATUS_FAILED");
    assertThat(done.at("/task/reason").asText())
        .contains("node 85 (VAEDecode)")
        .contains("Allocation on device");
  }

  @Test
  void twoServersAreNeverGivenTwoPromptsAtOnce() throws Exception {
    startSmall();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) ids.add(submit(Bodies.simple(2)));
    for (String id : ids) assertThat(succeeded(id).get("videos")).hasSize(2);
    assertThat(farm.promptCalls()).isEqualTo(6);
    for (FakeComfyUi box : farm.boxes) {
      assertThat(box.maxOutstanding()).as("prompts one box held at once").isEqualTo(1);
      assertThat(box.promptCalls()).as("both boxes work").isPositive();
    }
  }

  @Test
  void progressComesFromComfyUi() throws Exception {
    start(Deployments.WAN, "comfyui");
    await().until(() -> farm.a().sockets() == 1 && farm.b().sockets() == 1);
    farm.a().holdAfter(10);
    farm.b().holdAfter(10);
    String id = submit(Bodies.simple(1));
    // the first of the two samplers is done: half the prompt, whatever the clock says
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> node.result(id).at("/task/progress_percent").asInt() >= 45);
    assertThat(node.result(id).at("/task/progress_percent").asInt()).isBetween(45, 55);
    farm.release();
    succeeded(id);
  }

  @Test
  void cancelInterruptsTheRunningPrompt() throws Exception {
    startSmall();
    Held held = submitHeld();
    String id = held.id();
    FakeComfyUi box = held.box();
    var r = node.post("/v3/async/tasks/" + id + "/cancel", TestNode.KEY, "");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(end(id).at("/task/status").asText()).isEqualTo("TASK_STATUS_CANCELED");
    await().atMost(Duration.ofSeconds(30)).until(() -> box.interrupts() == 1);
  }

  @Test
  void aServerThatGoesAwayAndComesBackFinishesItsPromptWithoutASecondOne() throws Exception {
    startSmall();
    Held held = submitHeld();
    String id = held.id();
    FakeComfyUi box = held.box();
    box.goAway();
    // the node's polls now fail and the deployment's circuit opens; the prompt stays with it
    var down =
        Pattern.compile("tween_deployment_up\\{deployment=\"" + farm.name(box) + "\"[^}]*} 0");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> down.matcher(node.get("/metrics", null).body()).find());
    box.comeBack();
    farm.release();
    succeeded(id);
    assertThat(farm.promptCalls()).isEqualTo(1);
  }

  @Test
  void aPromptLostToARestartedServerIsQueuedAgainOnce() throws Exception {
    startSmall();
    Held held = submitHeld();
    String id = held.id();
    FakeComfyUi box = held.box();
    String lost = box.running();
    box.restart();
    farm.release();
    succeeded(id);
    assertThat(farm.promptCalls()).isEqualTo(2);
    assertThat(farm.seen()).extracting(FakeComfyUi.Seen::promptId).contains(lost).hasSize(2);
    assertThat(farm.seen()).extracting(FakeComfyUi.Seen::seed).containsOnly(7L);
  }
}
