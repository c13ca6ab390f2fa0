package dev.tween.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.storage.BlobKeys;
import dev.tween.storage.s3.S3Server;
import dev.tween.testing.Images;
import dev.tween.testing.PostgresServer;
import dev.tween.testing.TestNode;
import dev.tween.testing.TweenProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real tween processes (local engine) on one PostgreSQL and one S3-compatible server. One is
 * killed with SIGKILL while it generates and started again. Every task must end SUCCEED exactly
 * once, with exactly its objects in the bucket, and read the same from either node.
 */
class ScaleOutIT {
  static final String KEY = "scale-key";
  static final int TASKS = 10;
  final HttpClient http = HttpClient.newHttpClient();
  final S3Server s3 = S3Server.get();
  final String storage = s3.freshStorageUrl();
  final String dbUrl = PostgresServer.get().freshDatabase();
  @TempDir Path dir;

  Map<String, String> flags(String name) {
    var f =
        new HashMap<String, String>(
            Map.of(
                "port",
                "0",
                "host",
                "127.0.0.1",
                "data",
                dir.resolve(name).toString(),
                "api-keys",
                KEY,
                "lease-seconds",
                "6",
                "heartbeat-seconds",
                "1",
                "poll-millis",
                "500",
                "max-crashes",
                "10",
                "db-url",
                dbUrl,
                "db-user",
                PostgresServer.USER));
    f.putAll(s3.flags(storage, false));
    return f;
  }

  TweenProcess start(String name) throws Exception {
    return TweenProcess.start(flags(name), s3.environment(), dir.resolve(name + ".log"));
  }

  @Test
  void twoNodesOneKilledMidTaskEveryTaskSucceedsExactlyOnce() throws Exception {
    TweenProcess a = start("a");
    TweenProcess b = start("b");
    List<String> ids = new ArrayList<>();
    try {
      String body =
          """
          {"image":"%s","last_frame_image":"%s","prompt":"scale test","duration":4,"seed":%d}""";
      for (int i = 0; i < TASKS; i++) {
        ids.add(
            submit(
                i % 2 == 0 ? a : b,
                body.formatted(
                    Images.dataUri(Images.png(320, 180, 0)),
                    Images.dataUri(Images.png(320, 180, 30)),
                    i)));
      }
      Path logA = a.log();
      await().atMost(Duration.ofSeconds(120)).until(() -> inProgress(logA));
      a.kill9();
      a = start("a");
      TweenProcess lastA = a;
      await()
          .atMost(Duration.ofMinutes(6))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> allFinal(lastA, ids));

      String logs = Files.readString(dir.resolve("a.log")) + Files.readString(dir.resolve("b.log"));
      boolean someTaskRanTwice = false;
      for (String id : ids) {
        JsonNode fromA = result(a, id);
        JsonNode fromB = result(b, id);
        assertThat(fromA.at("/task/status").asText())
            .as(id + ": " + fromA)
            .isEqualTo("TASK_STATUS_SUCCEED");
        assertThat(fromB.get("task"))
            .as("status is identical from either node")
            .isEqualTo(fromA.get("task"));
        assertThat(fromB.get("videos")).hasSize(1);
        assertThat(count(logs, "event=task_succeeded task=" + id + " .*applied=true"))
            .as(id + " succeeded once")
            .isEqualTo(1);
        someTaskRanTwice |= count(logs, "event=task_started task=" + id + " ") > 1;
        byte[] viaA = download(fromA.at("/videos/0/video_url").asText());
        byte[] viaB = download(fromB.at("/videos/0/video_url").asText());
        assertThat(new String(viaA, 4, 4)).isEqualTo("ftyp");
        assertThat(viaB).isEqualTo(viaA);
      }
      assertThat(someTaskRanTwice).as("the killed node's task was re-run by a node").isTrue();
      List<String> expected = new ArrayList<>();
      for (String id : ids) {
        expected.addAll(
            List.of(
                BlobKeys.input(id, "first", "png"),
                BlobKeys.input(id, "last", "png"),
                BlobKeys.video(id, 0),
                BlobKeys.poster(id)));
      }
      assertThat(s3.keys(storage))
          .as("exactly each task's objects, no duplicates or leftovers")
          .containsExactlyInAnyOrderElementsOf(expected);
    } finally {
      a.close();
      b.close();
    }
  }

  /** The node logged a task start that it has not finished yet. */
  static boolean inProgress(Path log) throws Exception {
    String s = Files.readString(log);
    return count(s, "event=task_started ")
        > count(s, "event=task_(succeeded|attempt_failed|canceled) ");
  }

  static int count(String text, String regex) {
    var m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) n++;
    return n;
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
    return TestNode.json(r.body()).get("task_id").asText();
  }

  JsonNode result(TweenProcess node, String id) throws Exception {
    var r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(node.baseUrl() + "/v3/async/task-result?task_id=" + id))
                .header("Authorization", "Bearer " + KEY)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return TestNode.json(r.body());
  }

  byte[] download(String url) throws Exception {
    var r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  boolean allFinal(TweenProcess node, List<String> ids) throws Exception {
    for (String id : ids) {
      String s = result(node, id).at("/task/status").asText();
      if (s.equals("TASK_STATUS_QUEUED") || s.equals("TASK_STATUS_PROCESSING")) return false;
    }
    return true;
  }
}
