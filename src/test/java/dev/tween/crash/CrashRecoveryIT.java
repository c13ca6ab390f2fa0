package dev.tween.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.testing.Images;
import dev.tween.testing.TweenProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real tween process is killed with SIGKILL several times while it generates; after each kill it
 * is started again on the same data directory. Every accepted task must end SUCCEED with its
 * videos, and no half-written file may be left behind.
 */
class CrashRecoveryIT {
  static final String KEY = "crash-key";
  final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  Map<String, String> flags() {
    return Map.of(
        "port",
        "0",
        "host",
        "127.0.0.1",
        "data",
        dir.resolve("data").toString(),
        "api-keys",
        KEY,
        "lease-seconds",
        "6",
        "heartbeat-seconds",
        "1",
        "poll-millis",
        "200",
        "max-crashes",
        "10");
  }

  @Test
  void killedRepeatedlyMidWorkLosesNothing() throws Exception {
    Path log = dir.resolve("tween.log");
    var rnd = new Random(7);
    List<String> ids = new ArrayList<>();
    TweenProcess node = TweenProcess.start(flags(), log);
    try {
      String body =
          """
          {"image":"%s","last_frame_image":"%s","prompt":"crash test","duration":4,"seed":%d}""";
      for (int i = 0; i < 6; i++) {
        ids.add(
            submit(
                node,
                body.formatted(
                    Images.dataUri(Images.png(320, 180, 0)),
                    Images.dataUri(Images.png(320, 180, 30)),
                    i)));
      }
      for (int kill = 0; kill < 4; kill++) {
        TweenProcess current = node;
        await().atMost(Duration.ofSeconds(60)).until(() -> anyProcessing(current, ids));
        Thread.sleep(300 + rnd.nextInt(1500)); // a random moment of the generation to kill it in
        node.kill9();
        node = TweenProcess.start(flags(), log);
      }
      TweenProcess last = node;
      await()
          .atMost(Duration.ofMinutes(6))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> allFinal(last, ids));
      for (String id : ids) {
        JsonNode r = result(last, id);
        assertThat(r.at("/task/status").asText())
            .as(id + ": " + r)
            .isEqualTo("TASK_STATUS_SUCCEED");
        assertThat(r.get("videos")).hasSize(1);
        var video =
            http.send(
                HttpRequest.newBuilder(URI.create(r.at("/videos/0/video_url").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(video.statusCode()).isEqualTo(200);
        assertThat(new String(video.body(), 4, 4)).isEqualTo("ftyp");
      }
    } finally {
      node.close();
    }
    try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
      assertThat(files.map(Path::toString).filter(p -> p.contains(".part-")))
          .as("no half-written blobs")
          .isEmpty();
    }
    try (Stream<Path> work = Files.list(dir.resolve("data/work"))) {
      assertThat(work).as("work directory cleaned").isEmpty();
    }
  }

  String submit(TweenProcess node, String body) throws Exception {
    var r =
        http.send(
            HttpRequest.newBuilder(URI.create(node.baseUrl() + "/v3/async/veo-3.1-lite-flf2v"))
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return dev.tween.testing.TestNode.json(r.body()).get("task_id").asText();
  }

  JsonNode result(TweenProcess node, String id) throws Exception {
    var r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(node.baseUrl() + "/v3/async/task-result?task_id=" + id))
                .header("Authorization", "Bearer " + KEY)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return dev.tween.testing.TestNode.json(r.body());
  }

  boolean anyProcessing(TweenProcess node, List<String> ids) throws Exception {
    for (String id : ids)
      if (result(node, id).at("/task/status").asText().equals("TASK_STATUS_PROCESSING"))
        return true;
    return false;
  }

  boolean allFinal(TweenProcess node, List<String> ids) throws Exception {
    for (String id : ids) {
      String s = result(node, id).at("/task/status").asText();
      if (s.equals("TASK_STATUS_QUEUED") || s.equals("TASK_STATUS_PROCESSING")) return false;
    }
    return true;
  }
}
