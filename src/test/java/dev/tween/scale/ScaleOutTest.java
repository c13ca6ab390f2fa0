package dev.tween.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.generate.Generator;
import dev.tween.storage.s3.S3Server;
import dev.tween.testing.Bodies;
import dev.tween.testing.FakeGenerator;
import dev.tween.testing.PostgresServer;
import dev.tween.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several nodes in one JVM on one real PostgreSQL and one real S3-compatible server: roles, the
 * cross-node wake-up, any node answering for any task, and state that must live in the database.
 * (The SIGKILL test with real processes is {@code ScaleOutIT}.)
 */
class ScaleOutTest {
  final String dbUrl = PostgresServer.get().freshDatabase();
  final S3Server s3 = S3Server.get();
  final String storage = s3.freshStorageUrl();
  final HttpClient http = HttpClient.newHttpClient();
  final List<TestNode> nodes = new ArrayList<>();
  @TempDir Path dir;

  TestNode node(String role, Generator generator, boolean presign, Map<String, String> extra)
      throws Exception {
    var flags = new HashMap<String, String>();
    flags.put("db-url", dbUrl);
    flags.put("db-user", PostgresServer.USER);
    flags.put("role", role);
    flags.putAll(s3.flags(storage, presign));
    flags.putAll(extra);
    TestNode n = TestNode.start(dir.resolve("node" + nodes.size()), Optional.of(generator), flags);
    nodes.add(n);
    return n;
  }

  @AfterEach
  void stop() {
    nodes.forEach(TestNode::close);
  }

  static String status(JsonNode r) {
    return r.at("/task/status").asText();
  }

  @Test
  void aTaskSubmittedOnAnApiNodeStartsOnAnIdleWorkerAtOnceNotAtItsNextPoll() throws Exception {
    TestNode api = node("api", FakeGenerator.instant(), false, Map.of());
    var generator = FakeGenerator.instant();
    // The worker polls only once a minute, so only the LISTEN/NOTIFY wake-up can start the task in
    // time.
    TestNode worker = node("worker", generator, false, Map.of("poll-millis", "60000"));
    String id = api.submit(Bodies.simple(1));
    JsonNode done =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> api.result(id), r -> status(r).equals("TASK_STATUS_SUCCEED"));
    assertThat(done.get("videos")).hasSize(1);
    assertThat(generator.calls.get()).as("the worker node generated it").isEqualTo(1);

    assertThat(worker.get("/healthz", null).statusCode()).isEqualTo(200);
    assertThat(worker.get("/readyz", null).statusCode()).isEqualTo(200);
    assertThat(worker.get("/metrics", null).body())
        .as("workers are scraped too")
        .contains("tween_");
    assertThat(worker.get("/v3/async/task-result?task_id=" + id, TestNode.KEY).statusCode())
        .as("a worker node serves no API")
        .isEqualTo(404);
    assertThat(api.get("/readyz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void anyNodeAnswersForAnyTaskAndStreamsItsVideoFromS3() throws Exception {
    TestNode a = node("all", FakeGenerator.instant(), false, Map.of());
    TestNode b = node("all", FakeGenerator.instant(), false, Map.of());
    String id = a.submit(Bodies.simple(2));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> status(a.result(id)).equals("TASK_STATUS_SUCCEED"));
    JsonNode fromA = a.result(id);
    JsonNode fromB = b.result(id);
    assertThat(fromB.get("task")).isEqualTo(fromA.get("task"));
    assertThat(fromB.get("videos")).hasSize(2);

    String link = fromB.at("/videos/1/video_url").asText();
    assertThat(link).startsWith(b.url("/v1/videos/"));
    String expected = "sample 1 of " + id + " seed 7";
    var whole = b.download(link, Map.of());
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(new String(whole.body(), StandardCharsets.UTF_8)).isEqualTo(expected);
    var part = a.download(link.replace(b.url(""), a.url("")), Map.of("Range", "bytes=7-8"));
    assertThat(part.statusCode()).as("a link signed by B verifies on A").isEqualTo(206);
    assertThat(new String(part.body(), StandardCharsets.UTF_8)).isEqualTo(expected.substring(7, 9));
    assertThat(s3.keys(storage)).contains("videos/" + id + "/0.mp4", "videos/" + id + "/1.mp4");
  }

  @Test
  void presignedLinksDownloadStraightFromS3() throws Exception {
    TestNode a = node("all", FakeGenerator.instant(), true, Map.of());
    String id = a.submit(Bodies.simple(1));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> status(a.result(id)).equals("TASK_STATUS_SUCCEED"));
    String link = a.result(id).at("/videos/0/video_url").asText();
    assertThat(URI.create(link).getPort()).isEqualTo(s3.endpoint().getPort());
    assertThat(link).contains("X-Amz-Expires=3600");
    var video =
        http.send(
            HttpRequest.newBuilder(URI.create(link)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(video.statusCode()).isEqualTo(200);
    assertThat(video.body()).isEqualTo("sample 0 of " + id + " seed 7");
  }

  @Test
  void readinessFollowsStorage() throws Exception {
    TestNode a =
        node("api", FakeGenerator.instant(), false, Map.of("storage-url", "s3://no-such-bucket/x"));
    assertThat(a.get("/healthz", null).statusCode()).isEqualTo(200);
    assertThat(a.get("/readyz", null).statusCode()).isEqualTo(503);
  }

  @Test
  void cancelAndIdempotencyKeysWorkAcrossNodes() throws Exception {
    TestNode api = node("api", FakeGenerator.instant(), false, Map.of());
    var stuck = FakeGenerator.gated();
    TestNode worker =
        node("worker", stuck, false, Map.of("heartbeat-seconds", "1", "lease-seconds", "5"));
    String body = Bodies.simple(1);
    String first = submitWithKey(api, body, "order-17");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> status(api.result(first)).equals("TASK_STATUS_PROCESSING"));
    var other = node("api", FakeGenerator.instant(), false, Map.of());
    assertThat(submitWithKey(other, body, "order-17"))
        .as("the key is remembered by every node")
        .isEqualTo(first);

    var cancel = other.post("/v3/async/tasks/" + first + "/cancel", TestNode.KEY, "");
    assertThat(cancel.statusCode()).as(cancel.body()).isLessThan(300);
    JsonNode r =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> api.result(first), x -> status(x).equals("TASK_STATUS_CANCELED"));
    assertThat(r.at("/task/reason").asText()).contains("canceled");
    assertThat(worker.get("/healthz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void manyTasksOnTwoNodesRunExactlyOnceEach() throws Exception {
    var genA = FakeGenerator.instant();
    var genB = FakeGenerator.instant();
    TestNode a = node("all", genA, false, Map.of("workers", "2"));
    TestNode b = node("all", genB, false, Map.of("workers", "2"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) ids.add((i % 2 == 0 ? a : b).submit(Bodies.simple(1)));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              for (String id : ids)
                if (!status(b.result(id)).equals("TASK_STATUS_SUCCEED")) return false;
              return true;
            });
    assertThat(genA.calls.get() + genB.calls.get())
        .as("each task generated once")
        .isEqualTo(ids.size());
    List<String> videos = s3.keys(storage).stream().filter(k -> k.startsWith("videos/")).toList();
    assertThat(videos)
        .containsExactlyInAnyOrderElementsOf(
            ids.stream().map(id -> "videos/" + id + "/0.mp4").toList());
  }

  String submitWithKey(TestNode n, String body, String key) throws Exception {
    var r =
        http.send(
            HttpRequest.newBuilder(URI.create(n.url("/v3/async/veo-3.1-lite-flf2v")))
                .header("Authorization", "Bearer " + TestNode.KEY)
                .header("Idempotency-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestNode.json(r.body()).get("task_id").asText();
  }
}
