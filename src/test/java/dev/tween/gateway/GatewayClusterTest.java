package dev.tween.gateway;

import static dev.tween.gateway.GatewayTest.awaitAll;
import static dev.tween.gateway.GatewayTest.limits;
import static dev.tween.gateway.GatewayTest.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tween.storage.s3.S3Server;
import dev.tween.testing.Bodies;
import dev.tween.testing.PostgresServer;
import dev.tween.testing.ShiftedClock;
import dev.tween.testing.TestNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Veo nodes on one PostgreSQL and one S3 bucket hold a deployment to its limits together, as
 * Google's quota per project and region does: with limits per node, each test would see twice the
 * limit.
 */
class GatewayClusterTest {
  @TempDir Path dir;
  VeoCluster cluster;
  Map<String, String> shared;

  @BeforeEach
  void start() throws Exception {
    cluster = new VeoCluster(dir);
    var s3 = S3Server.get();
    var flags = new java.util.HashMap<String, String>(s3.flags(s3.freshStorageUrl(), false));
    flags.put("db-url", PostgresServer.get().freshDatabase());
    flags.put("db-user", PostgresServer.USER);
    shared = Map.copyOf(flags);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  List<String> submitAlternately(List<TestNode> nodes, String prefix, int n) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++)
      ids.add(nodes.get(i % nodes.size()).submit(Bodies.prompted(prefix + i, 1)));
    return ids;
  }

  @Test
  void twoNodesNeverRunMoreThanTheDeploymentsMaxConcurrentBetweenThem() throws Exception {
    var fake = cluster.fake;
    fake.operationMillis = 1200;
    Path deployments = cluster.deployments(limits("us-central1", 2, 0));
    TestNode a = cluster.node(deployments, shared, Clock.systemUTC());
    TestNode b = cluster.node(deployments, shared, Clock.systemUTC());
    List<String> ids = submitAlternately(List.of(a, b), "pair-", 8);
    awaitAll(a, ids, "TASK_STATUS_SUCCEED", Duration.ofSeconds(60));
    assertThat(fake.peak("fake-project", "us-central1"))
        .as("two at once over both nodes, as the quota counts them")
        .isEqualTo(2);
    assertThat(fake.submits).hasSize(8);
    assertThat(a.app().tasks().findById(ids.get(0))).isPresent();
  }

  @Test
  void twoNodesShareOneRequestsPerMinute() throws Exception {
    var fake = cluster.fake;
    fake.operationMillis = 0;
    Path deployments = cluster.deployments(limits("us-central1", 10, 3));
    var clockA = new ShiftedClock();
    var clockB = new ShiftedClock();
    TestNode a = cluster.node(deployments, shared, clockA);
    TestNode b = cluster.node(deployments, shared, clockB);
    List<String> ids = submitAlternately(List.of(a, b), "shared-rpm-", 6);
    await().atMost(Duration.ofSeconds(20)).until(() -> fake.submits.size() == 3);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> fake.submits.size() == 3);
    long queued =
        ids.stream().filter(id -> status(result(a, id)).equals("TASK_STATUS_QUEUED")).count();
    assertThat(queued).isEqualTo(3);
    clockA.advance(Duration.ofSeconds(62));
    clockB.advance(Duration.ofSeconds(62));
    awaitAll(a, ids, "TASK_STATUS_SUCCEED", Duration.ofSeconds(30));
    assertThat(fake.submits).hasSize(6);
  }

  static com.fasterxml.jackson.databind.JsonNode result(TestNode n, String id) {
    try {
      return n.result(id);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
