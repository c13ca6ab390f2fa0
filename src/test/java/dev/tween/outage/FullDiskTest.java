package dev.tween.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tween.engine.TweenEngine;
import dev.tween.google.FakeGoogle;
import dev.tween.outage.Client.Answer;
import dev.tween.task.Task;
import dev.tween.testing.Bodies;
import dev.tween.testing.HoldingGenerator;
import dev.tween.testing.SmallDisk;
import dev.tween.testing.TestNode;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose data directory is a 48 MiB tmpfs, filled to the last byte (or to below {@code
 * --min-free-bytes}) while tasks run, then freed. Submits answer 507 with Retry-After within 2 s,
 * never 500; reads keep working; /readyz 503; the running task waits, loses no failure or crash and
 * finishes once space is back, without a restart; the database passes integrity_check. Before,
 * submits answered 500 (SQLITE_FULL), /readyz stayed 200 and the worker died on the full database.
 */
class FullDiskTest {
  private static final long MIB = 1 << 20;
  @TempDir Path dir;

  private static Map<String, String> flags(SmallDisk disk, long minFree) {
    return OutageFlags.merged(
        Map.of("data", disk.root().toString(), "min-free-bytes", Long.toString(minFree)),
        OutageFlags.tightBudgets());
  }

  @Test
  void aVideoThatCannotBeStoredWaitsForSpaceAndSubmitsAnswer507() throws Exception {
    var generator = new HoldingGenerator();
    try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 48);
        LogCapture logs = new LogCapture()) {
      try (TestNode node = TestNode.start(dir, Optional.of(generator), flags(disk, 4 * MIB))) {
        var client = new Client(node);
        String earlier = node.submit(Bodies.simple(1));
        String link =
            await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> node.result(earlier), r -> r.at("/videos/0").isObject())
                .at("/videos/0/video_url")
                .asText();
        generator.holdAfterWriting();
        String running = node.submit(Bodies.simple(1)); // its video is written, not yet stored
        generator.awaitHeld();

        disk.fill();
        System.out.printf("full disk: %d bytes free%n", disk.free());
        List<Answer> submits = new ArrayList<>();
        for (int i = 0; i < 5; i++) submits.add(client.submit(Bodies.simple(1)));
        System.out.println("full disk: submits " + submits);
        assertThat(submits)
            .allSatisfy(
                a -> {
                  assertThat(a.status()).as(a.toString()).isEqualTo(507);
                  assertThat(a.millis()).isLessThan(2000);
                  assertThat(a.retryAfter()).isPresent();
                  assertThat(a.json().get("code").asText()).isEqualTo("INSUFFICIENT_STORAGE");
                });
        assertThat(client.get("/readyz").status()).isEqualTo(503);
        assertThat(client.get("/healthz").status()).isEqualTo(200);
        assertThat(client.status(earlier)).isEqualTo("TASK_STATUS_SUCCEED");
        var video = node.download(link, Map.of());
        assertThat(video.statusCode()).isEqualTo(200);
        assertThat(video.body()).isEqualTo(HoldingGenerator.sample(earlier, 0));
        assertThat(client.get("/v3/async/tasks?limit=10").status()).isEqualTo(200);

        generator.release(); // the worker now tries to store the video on the full disk
        await() // longer than the 5 s lease: no failure, no crash, no re-run
            .during(Duration.ofSeconds(7))
            .atMost(Duration.ofSeconds(8))
            .until(() -> client.status(running), s -> s.equals("TASK_STATUS_PROCESSING"));
        Answer metrics = client.get("/metrics");
        assertThat(metrics.body())
            .contains("tween_dependency_up{dependency=\"disk\"} 0.0")
            .contains("tween_disk_free_bytes 0.0")
            .containsPattern("tween_unavailable_responses_total\\{dependency=\"disk\"\\} [1-9]");

        disk.release();
        long up = System.nanoTime();
        String after = client.awaitRecovery("disk", up);
        client.assertAllSucceedAndNothingCounted("full disk", running, List.of(running, after));
        var stored =
            node.download(node.result(running).at("/videos/0/video_url").asText(), Map.of());
        assertThat(stored.body()).isEqualTo(HoldingGenerator.sample(running, 0));
      }
      assertIntegrity(disk.root().resolve("tween.db"));
      logs.assertOneQuietOutage("disk");
    }
  }

  @Test
  void anEngineThatCannotWriteItsVideoIsNotFailed() throws Exception {
    var generator = new HoldingGenerator();
    try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 48);
        LogCapture logs = new LogCapture()) {
      try (TestNode node = TestNode.start(dir, Optional.of(generator), flags(disk, 4 * MIB))) {
        var client = new Client(node);
        generator.holdBeforeWriting();
        String running = node.submit(Bodies.simple(1));
        generator.awaitHeld();
        disk.fill();
        generator.release(); // the sample write meets ENOSPC
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(4))
            .until(() -> client.status(running), s -> s.equals("TASK_STATUS_PROCESSING"));
        assertThat(client.submit(Bodies.simple(1)).status()).isEqualTo(507);

        disk.release();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> client.status(running), s -> s.equals("TASK_STATUS_SUCCEED"));
        Task t = node.app().tasks().findById(running).orElseThrow();
        System.out.printf(
            "engine write on a full disk: attempt=%d failures=%d crashes=%d%n",
            t.attempt(), t.failures(), t.crashes());
        assertThat(t.failures()).isZero();
        assertThat(t.crashes()).isZero();
        assertThat(generator.calls.get()).isEqualTo(2); // written again once space was back
      }
      assertIntegrity(disk.root().resolve("tween.db"));
      logs.assertOneQuietOutage("disk");
    }
  }

  @Test
  void belowTheThresholdNewWorkWaitsWhileAcceptedWorkStillCommits() throws Exception {
    var generator = new HoldingGenerator();
    try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 48)) {
      try (TestNode node = TestNode.start(dir, Optional.of(generator), flags(disk, 16 * MIB))) {
        var client = new Client(node);
        generator.holdAfterWriting();
        String running = node.submit(Bodies.simple(1));
        generator.awaitHeld();
        String queued = node.submit(Bodies.simple(1));
        String canceled = node.submit(Bodies.simple(1));

        disk.fillLeaving(8 * MIB); // not full: below --min-free-bytes
        Answer refused = client.submit(Bodies.simple(1));
        System.out.println("below the threshold: submit " + refused);
        assertThat(refused.status()).isEqualTo(507);
        assertThat(client.get("/readyz").status()).isEqualTo(503);

        generator.release(); // accepted work: stored into the space held back
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> client.status(running), s -> s.equals("TASK_STATUS_SUCCEED"));
        Answer cancel = client.post("/v3/async/tasks/" + canceled + "/cancel");
        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);
        assertThat(client.status(canceled)).isEqualTo("TASK_STATUS_CANCELED");
        await() // no new claims while below the threshold
            .during(Duration.ofSeconds(2))
            .atMost(Duration.ofSeconds(3))
            .until(() -> client.status(queued), s -> s.equals("TASK_STATUS_QUEUED"));

        disk.release();
        client.awaitRecovery("disk", System.nanoTime());
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> client.status(queued), s -> s.equals("TASK_STATUS_SUCCEED"));
      }
      assertIntegrity(disk.root().resolve("tween.db"));
    }
  }

  @Test
  void anUpstreamSampleThatCannotBeSavedIsFetchedAgainOnceThereIsSpace() throws Exception {
    // the database keeps room; the download of the finished operation's sample meets ENOSPC
    Path f = dir.resolve("sample.mp4"); // noise: a sample of several MB
    var random = new java.util.Random(1);
    var frames = new java.util.ArrayList<java.awt.image.BufferedImage>();
    for (int i = 0; i < 2; i++) {
      var img =
          new java.awt.image.BufferedImage(640, 360, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
      for (int y = 0; y < 360; y++)
        for (int x = 0; x < 640; x++) img.setRGB(x, y, random.nextInt());
      frames.add(img);
    }
    new TweenEngine()
        .render(
            frames.get(0),
            frames.get(1),
            new TweenEngine.Clip(640, 360, 48, 1, false),
            List.of(f),
            p -> {},
            () -> false);
    assertThat(java.nio.file.Files.size(f)).isGreaterThan(MIB);
    try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 48);
        FakeGoogle google = new FakeGoogle(java.nio.file.Files.readAllBytes(f));
        LogCapture logs = new LogCapture()) {
      var flags = new java.util.HashMap<>(flags(disk, 4 * MIB));
      flags.putAll(
          Map.of(
              "generator", "veo",
              "veo-project", "fake-project",
              "veo-credentials", google.serviceAccountJson(dir).toString(),
              "veo-base-url", google.baseUrl(),
              "veo-poll-millis", "20"));
      google.hangPolls = true;
      try (TestNode node = TestNode.start(dir, Optional.empty(), flags)) {
        var client = new Client(node);
        String running = node.submit(Bodies.simple(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> google.polls.get() > 0);
        disk.fillLeaving(MIB / 2); // room for the database, not for the sample
        google.hangPolls = false; // the operation is done: its sample cannot be saved
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(4))
            .until(() -> client.status(running), s -> s.equals("TASK_STATUS_PROCESSING"));
        int pollsWhileFull = google.polls.get();
        await()
            .during(Duration.ofSeconds(2))
            .atMost(Duration.ofSeconds(3))
            .until(() -> google.polls.get() == pollsWhileFull); // waiting for space, not polling

        disk.release();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> client.status(running), s -> s.equals("TASK_STATUS_SUCCEED"));
        Task t = node.app().tasks().findById(running).orElseThrow();
        assertThat(t.failures()).isZero();
        assertThat(t.crashes()).isZero();
        assertThat(google.submits).as("one paid create").hasSize(1);
      }
      assertIntegrity(disk.root().resolve("tween.db"));
      logs.assertOneQuietOutage("disk");
    }
  }

  static void assertIntegrity(Path db) throws Exception {
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
        var rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("ok");
    }
  }
}
