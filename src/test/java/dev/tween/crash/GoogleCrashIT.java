package dev.tween.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.engine.TweenEngine;
import dev.tween.google.FakeGoogle;
import dev.tween.testing.Bodies;
import dev.tween.testing.Images;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tween process serving Veo and Omni is killed with SIGKILL while the Vertex operation and the
 * Omni interactions are pending upstream; after a restart every task ends SUCCEED with exactly one
 * upstream submit per Veo task and one interaction per Omni sample: nothing is paid twice.
 */
class GoogleCrashIT {
  static final String KEY = "crash-key";
  final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  @Test
  void killedWhileOperationsArePendingResumesWithoutASecondSubmit() throws Exception {
    Path mp4 = dir.resolve("sample.mp4");
    var img = Images.scene(64, 36, 0);
    new TweenEngine()
        .render(
            img,
            img,
            new TweenEngine.Clip(64, 36, 24, 1, true),
            List.of(mp4),
            p -> {},
            () -> false);
    try (FakeGoogle fake = new FakeGoogle(Files.readAllBytes(mp4))) {
      fake.hangPolls = true;
      var flags =
          new HashMap<String, String>(
              Map.of(
                  "port",
                  "0",
                  "host",
                  "127.0.0.1",
                  "data",
                  dir.resolve("data").toString(),
                  "api-keys",
                  KEY,
                  "lease-seconds",
                  "5",
                  "heartbeat-seconds",
                  "1",
                  "poll-millis",
                  "200",
                  "workers",
                  "2",
                  "generator",
                  "veo,omni",
                  "veo-project",
                  "fake-project"));
      flags.putAll(
          Map.of(
              "veo-credentials",
              fake.serviceAccountJson(dir).toString(),
              "veo-base-url",
              fake.baseUrl(),
              "veo-poll-millis",
              "50",
              "omni-api-key",
              FakeGoogle.GEMINI_KEY,
              "omni-base-url",
              fake.baseUrl(),
              "omni-poll-millis",
              "50"));
      Path log = dir.resolve("tween.log");
      TweenProcess node = TweenProcess.start(flags, log);
      String veo;
      String omni;
      try {
        veo = submit(node, "/v3/async/veo-3.1-lite-flf2v", Bodies.simple(2));
        omni = submit(node, "/v3/async/gemini-omni-flash-flf2v", Bodies.simple(2));
        int polled = fake.polls.get();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> fake.submits.size() == 3 && fake.polls.get() > polled + 4);
        node.kill9();
        fake.hangPolls = false;
        fake.veoOutcome = FakeGoogle.veoVideos(2, 0);
        node = TweenProcess.start(flags, log);
        TweenProcess restarted = node;
        for (String id : List.of(veo, omni)) {
          JsonNode done =
              await()
                  .atMost(Duration.ofSeconds(60))
                  .pollInterval(Duration.ofMillis(500))
                  .until(
                      () -> result(restarted, id),
                      r -> r.at("/task/status").asText().matches("TASK_STATUS_(SUCCEED|FAILED)"));
          assertThat(done.at("/task/status").asText())
              .as(done.toString())
              .isEqualTo("TASK_STATUS_SUCCEED");
          assertThat(done.get("videos")).hasSize(2);
        }
      } finally {
        node.close();
      }
      assertThat(fake.submits)
          .as("1 Vertex operation + 2 Omni interactions, none repeated after the kill")
          .hasSize(3);
    }
  }

  /**
   * A node killed after its task took a slot but before it sent the create: nothing reached Google,
   * so the resumed task creates its operation then, once, and succeeds (only a create that was on
   * its way when the node died is one tween cannot settle with Google).
   */
  @Test
  void killedBetweenTakingASlotAndSendingTheCreateCreatesItOnceWhenResumed() throws Exception {
    var held = new java.util.concurrent.CountDownLatch(1);
    var asked = new java.util.concurrent.atomic.AtomicInteger();
    byte[] png = Images.png(64, 36, 3);
    var images =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    images.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    images.createContext(
        "/first.png",
        ex -> {
          // the first download hangs: the task holds its slot, inputs not yet read, nothing sent
          if (asked.incrementAndGet() == 1) {
            try {
              held.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          ex.getResponseHeaders().add("Content-Type", "image/png");
          ex.sendResponseHeaders(200, png.length);
          ex.getResponseBody().write(png);
          ex.close();
        });
    images.start();
    try (FakeGoogle fake = new FakeGoogle(FakeGoogle.clip(dir, false))) {
      var flags = new HashMap<String, String>();
      flags.putAll(
          Map.of(
              "port", "0",
              "host", "127.0.0.1",
              "data", dir.resolve("data").toString(),
              "api-keys", KEY,
              "lease-seconds", "5",
              "heartbeat-seconds", "1",
              "poll-millis", "200",
              "generator", "veo",
              "veo-project", "fake-project",
              "fetch-allow-private", "true"));
      flags.putAll(
          Map.of(
              "veo-credentials", fake.serviceAccountJson(dir).toString(),
              "veo-base-url", fake.baseUrl(),
              "veo-poll-millis", "50"));
      Path log = dir.resolve("tween.log");
      TweenProcess node = TweenProcess.start(flags, log);
      try {
        String body =
            """
            {"image": "http://127.0.0.1:%d/first.png", "last_frame_image": "%s", "prompt": "held", "duration": 4}"""
                .formatted(images.getAddress().getPort(), Images.dataUri(png));
        String id = submit(node, "/v3/async/veo-3.1-lite-flf2v", body);
        await().atMost(Duration.ofSeconds(30)).until(() -> asked.get() == 1);
        node.kill9();
        held.countDown();
        node = TweenProcess.start(flags, log);
        TweenProcess restarted = node;
        JsonNode done =
            await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(
                    () -> result(restarted, id),
                    r -> r.at("/task/status").asText().matches("TASK_STATUS_(SUCCEED|FAILED)"));
        assertThat(done.at("/task/status").asText())
            .as(done.toString())
            .isEqualTo("TASK_STATUS_SUCCEED");
      } finally {
        node.close();
      }
      assertThat(fake.submits).as("one create, sent by the node that resumed the task").hasSize(1);
    } finally {
      images.stop(0);
    }
  }

  String submit(TweenProcess node, String route, String body) throws Exception {
    var r = call(node, route, HttpRequest.BodyPublishers.ofString(body));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestNode.json(r.body()).get("task_id").asText();
  }

  JsonNode result(TweenProcess node, String id) throws Exception {
    return TestNode.json(call(node, "/v3/async/task-result?task_id=" + id, null).body());
  }

  /** GET, or POST when there is a body, with the key. */
  HttpResponse<String> call(TweenProcess node, String path, HttpRequest.BodyPublisher post)
      throws Exception {
    var b =
        HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
            .header("Authorization", "Bearer " + KEY);
    return http.send(
        (post == null ? b.GET() : b.POST(post)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
