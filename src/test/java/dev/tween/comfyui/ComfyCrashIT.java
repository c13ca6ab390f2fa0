package dev.tween.comfyui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.testing.Bodies;
import dev.tween.testing.FFprobe;
import dev.tween.testing.TestNode;
import dev.tween.testing.TweenProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tween process in front of two ComfyUI boxes is killed with SIGKILL while both prompts of a task
 * run; one box finishes while tween is down, the other after it is back. The restarted process
 * resumes both prompts by their prompt_id: the task succeeds and no prompt was queued twice.
 */
class ComfyCrashIT {
  static final String KEY = "crash-key";
  @TempDir Path dir;

  @Test
  void killedWhilePromptsRunResumesThemWithoutASecondPrompt() throws Exception {
    Path flows = Files.createDirectories(dir.resolve("flows"));
    try (ComfyFarm farm = new ComfyFarm(dir, Deployments.fixedSize(flows, 320, 176))) {
      farm.a().hold();
      farm.b().hold();
      var flags = new HashMap<String, String>();
      flags.putAll(
          Map.of(
              "port", "0",
              "host", "127.0.0.1",
              "data", dir.resolve("data").toString(),
              "api-keys", KEY,
              "lease-seconds", "5",
              "heartbeat-seconds", "1",
              "generator", "comfyui",
              "deployments", farm.deployments.toString()));
      Path log = dir.resolve("tween.log");
      TweenProcess node = TweenProcess.start(flags, log);
      String id;
      try {
        var submitted = node.call("/v3/async/veo-3.1-lite-flf2v", KEY, Bodies.simple(2));
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
        id = TestNode.json(submitted.body()).get("task_id").asText();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> farm.a().running() != null && farm.b().running() != null);
        node.kill9();
        farm.a().release();
        await().atMost(Duration.ofSeconds(60)).until(() -> farm.a().running() == null);
        node = TweenProcess.start(flags, log);
        farm.b().release();
        TweenProcess restarted = node;
        JsonNode done =
            await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(
                    () ->
                        TestNode.json(
                            restarted
                                .call("/v3/async/task-result?task_id=" + id, KEY, null)
                                .body()),
                    r -> r.at("/task/status").asText().matches("TASK_STATUS_(SUCCEED|FAILED)"));
        assertThat(done.at("/task/status").asText())
            .as(done.toString())
            .isEqualTo("TASK_STATUS_SUCCEED");
        assertThat(done.get("videos")).hasSize(2);
        Path video = dir.resolve("got.mp4");
        var r =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(done.at("/videos/1/video_url").asText()))
                        .build(),
                    HttpResponse.BodyHandlers.ofFile(video));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(FFprobe.video(video).width()).isEqualTo(1280);
      } finally {
        node.close();
      }
      assertThat(farm.promptCalls()).as("one prompt per sample, none repeated").isEqualTo(2);
      for (var seen : farm.seen())
        assertThat(farm.a().promptCalls(seen.promptId()) + farm.b().promptCalls(seen.promptId()))
            .isEqualTo(1);
      assertThat(farm.seen()).extracting(FakeComfyUi.Seen::seed).containsExactlyInAnyOrder(7L, 8L);
      assertThat(farm.problems()).isEmpty();
    }
  }
}
