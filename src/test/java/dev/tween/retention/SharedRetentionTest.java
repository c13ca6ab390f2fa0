package dev.tween.retention;

import static dev.tween.retention.RetentionTest.awaitStatus;
import static dev.tween.retention.RetentionTest.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.storage.s3.S3Server;
import dev.tween.store.Database;
import dev.tween.store.Expirations;
import dev.tween.testing.Bodies;
import dev.tween.testing.HoldingGenerator;
import dev.tween.testing.MutableClock;
import dev.tween.testing.PostgresServer;
import dev.tween.testing.TestNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention in scale-out: nodes sharing one PostgreSQL and one bucket (s3rver), tween-signed links,
 * a four-second retention on a clock the test moves. Each task's objects are deleted by exactly one
 * node, and the claim a node leaves when it dies mid-sweep answers reads as expired and is taken
 * over once its lease ends.
 */
class SharedRetentionTest {
  final String dbUrl = PostgresServer.get().freshDatabase();
  final S3Server s3 = S3Server.get();
  final String storage = s3.freshStorageUrl();
  final MutableClock clock = new MutableClock(Instant.now());
  final HoldingGenerator generator = new HoldingGenerator();
  final List<TestNode> nodes = new ArrayList<>();
  @TempDir Path dir;

  TestNode node() throws Exception {
    var flags = new HashMap<String, String>();
    flags.put("db-url", dbUrl);
    flags.put("db-user", PostgresServer.USER);
    flags.put("retention", "4s");
    flags.putAll(s3.flags(storage, false));
    TestNode n =
        TestNode.start(dir.resolve("node" + nodes.size()), Optional.of(generator), flags, clock);
    nodes.add(n);
    return n;
  }

  @AfterEach
  void stop() {
    nodes.forEach(TestNode::close);
  }

  List<String> keysOf(String taskId) {
    return s3.keys(storage).stream().filter(k -> k.contains("/" + taskId + "/")).toList();
  }

  @Test
  void twoNodesSweepingTogetherDeleteEachObjectOnce() throws Exception {
    TestNode a = node();
    TestNode b = node();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) ids.add((i % 2 == 0 ? a : b).submit(Bodies.simple(1)));
    List<String> links = new ArrayList<>();
    for (String id : ids)
      links.add(awaitStatus(a, id, "TASK_STATUS_SUCCEED").at("/videos/0/video_url").asText());
    List<String> before = s3.keys(storage);
    System.out.println("bucket before: " + before.size() + " objects");
    assertThat(before).hasSize(6 * 3); // two inputs and one video each

    clock.advance(Duration.ofSeconds(5));
    for (String id : ids) {
      JsonNode r =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> b.result(id), x -> x.at("/extra/expired_at").isTextual());
      assertThat(r.get("videos")).isEmpty();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> s3.keys(storage).isEmpty());
    for (String link : links) assertThat(a.download(link, Map.of()).statusCode()).isEqualTo(410);

    double objects =
        metric(a, "tween_expired_objects_total") + metric(b, "tween_expired_objects_total");
    double tasks = metric(a, "tween_expired_tasks_total") + metric(b, "tween_expired_tasks_total");
    System.out.printf(
        "expired by node a: %.0f tasks, by node b: %.0f tasks; objects deleted %.0f%n",
        metric(a, "tween_expired_tasks_total"), metric(b, "tween_expired_tasks_total"), objects);
    assertThat(tasks).isEqualTo(6);
    assertThat(objects).as("each object deleted by one node").isEqualTo(18);
  }

  @Test
  void aClaimLeftByANodeThatDiedMidSweepReadsAsExpiredAndIsTakenOver() throws Exception {
    TestNode live = node();
    String id = live.submit(Bodies.simple(1));
    String link = awaitStatus(live, id, "TASK_STATUS_SUCCEED").at("/videos/0/video_url").asText();
    assertThat(keysOf(id)).hasSize(3);

    // A node claims the task, then dies before deleting anything.
    var ahead = Clock.offset(clock, Duration.ofSeconds(5));
    try (Database db = Database.open(dbUrl, PostgresServer.USER, "", 2)) {
      assertThat(
              new Expirations(db, ahead)
                  .claim("dead-node", Duration.ofSeconds(4), Retention.CLAIM_LEASE, 10))
          .containsExactly(id);
    }
    clock.advance(Duration.ofSeconds(5));
    JsonNode r = live.result(id);
    assertThat(r.at("/extra/expired_at").isTextual()).isTrue();
    assertThat(r.get("videos")).isEmpty();
    assertThat(live.download(link, Map.of()).statusCode()).isEqualTo(410);
    double sweeps = metric(live, "tween_retention_sweeps_total");
    await().until(() -> metric(live, "tween_retention_sweeps_total") >= sweeps + 2);
    assertThat(keysOf(id)).as("still the dead node's claim").hasSize(3);

    clock.advance(Retention.CLAIM_LEASE.plusSeconds(1));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> metric(live, "tween_expired_objects_total") == 3);
    assertThat(keysOf(id)).isEmpty();
    assertThat(live.result(id).at("/extra/expired_at").asText())
        .as("the first claim's time stays")
        .isEqualTo(r.at("/extra/expired_at").asText());
  }
}
