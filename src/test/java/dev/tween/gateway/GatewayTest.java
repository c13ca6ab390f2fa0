package dev.tween.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.testing.Bodies;
import dev.tween.testing.ShiftedClock;
import dev.tween.testing.TestNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Veo node on SQLite in front of a fake Vertex AI, through HTTP: deployments' limits, waiting
 * in the queue, 429s, regions that go away, cancel, and what /v3/models and /metrics show.
 */
class GatewayTest {
  @TempDir Path dir;
  VeoCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = new VeoCluster(dir);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  static String status(JsonNode r) {
    return r.at("/task/status").asText();
  }

  static List<String> submit(TestNode node, String prefix, int n) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) ids.add(node.submit(Bodies.prompted(prefix + i, 1)));
    return ids;
  }

  static void awaitAll(TestNode node, List<String> ids, String status, Duration within) {
    await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              for (String id : ids) if (!status(node.result(id)).equals(status)) return false;
              return true;
            });
  }

  static Map<String, int[]> limits(Object... locationMaxRpm) {
    var m = new LinkedHashMap<String, int[]>();
    for (int i = 0; i < locationMaxRpm.length; i += 3)
      m.put(
          (String) locationMaxRpm[i],
          new int[] {(int) locationMaxRpm[i + 1], (int) locationMaxRpm[i + 2]});
    return m;
  }

  @Test
  void tasksBeyondTheLimitWaitQueuedWithAnEtaAndTheDeploymentNeverRunsMore() throws Exception {
    var fake = cluster.fake;
    fake.operationMillis = 1500;
    TestNode node =
        cluster.node(cluster.deployments(limits("us-central1", 2, 0)), Map.of(), Clock.systemUTC());
    List<String> ids = submit(node, "limit-", 6);
    await().atMost(Duration.ofSeconds(10)).until(() -> fake.accepted.size() == 1);
    JsonNode last = node.result(ids.getLast());
    assertThat(status(last))
        .as("waiting for room, not holding a worker")
        .isEqualTo("TASK_STATUS_QUEUED");
    assertThat(last.at("/task/eta").asInt())
        .as("an honest eta: two rounds of 60 s ahead of it")
        .isGreaterThanOrEqualTo(120);
    awaitAll(node, ids, "TASK_STATUS_SUCCEED", Duration.ofSeconds(40));
    assertThat(fake.peak("fake-project", "us-central1")).isEqualTo(2);
    assertThat(fake.createsByPrompt.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(fake.accepted.get("fake-project/us-central1").get()).isEqualTo(6);
  }

  @Test
  void requestsPerMinuteHoldUntilTheMinuteHasPassed() throws Exception {
    var fake = cluster.fake;
    fake.operationMillis = 0;
    var clock = new ShiftedClock();
    TestNode node =
        cluster.node(cluster.deployments(limits("us-central1", 10, 2)), Map.of(), clock);
    List<String> ids = submit(node, "rpm-", 4);
    awaitAll(node, ids.subList(0, 2), "TASK_STATUS_SUCCEED", Duration.ofSeconds(20));
    // the other two wait in the queue for the rolling minute, however long the test looks
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> fake.submits.size() == 2);
    assertThat(status(node.result(ids.get(2)))).isEqualTo("TASK_STATUS_QUEUED");
    clock.advance(Duration.ofSeconds(62));
    awaitAll(node, ids, "TASK_STATUS_SUCCEED", Duration.ofSeconds(20));
    assertThat(fake.submits).hasSize(4);
  }

  @Test
  void aThrottledDeploymentCoolsDownAndItsTasksRunOnAnotherAtNoCost() throws Exception {
    var fake = cluster.fake;
    fake.quota("fake-project", "us-central1", 0, 0); // every create there: 429
    TestNode node =
        cluster.node(
            cluster.deployments(limits("us-central1", 5, 0, "europe-west4", 5, 0)),
            Map.of("max-failures", "1"),
            Clock.systemUTC());
    List<String> ids = submit(node, "throttled-", 6);
    awaitAll(node, ids, "TASK_STATUS_SUCCEED", Duration.ofSeconds(30));
    assertThat(fake.throttled.get("fake-project/us-central1").get()).isGreaterThanOrEqualTo(1);
    assertThat(fake.accepted.get("fake-project/europe-west4").get())
        .as(
            "each task created once, all in the other region; with max-failures 1 a 429 that cost"
                + " an attempt would have failed its task")
        .isEqualTo(6);
    JsonNode deployments = deployments(node);
    assertThat(deployments.findValuesAsText("name"))
        .containsExactly("veo-us-central1", "veo-europe-west4");
    assertThat(node.get("/metrics", null).body())
        .containsPattern(
            "tween_deployment_throttled_total\\{deployment=\"veo-us-central1\"\\} [1-9]");
  }

  @Test
  void aRegionThatIsDownIsLeftAloneItsTasksFlowToTheOtherAndItIsBackAfterAProbe() throws Exception {
    var fake = cluster.fake;
    fake.down.add("us-central1");
    TestNode node =
        cluster.node(
            cluster.deployments(limits("us-central1", 5, 0, "europe-west4", 5, 0)),
            Map.of(),
            Clock.systemUTC());
    List<String> ids = submit(node, "outage-", 6);
    awaitAll(node, ids, "TASK_STATUS_SUCCEED", Duration.ofSeconds(30));
    assertThat(fake.accepted.get("fake-project/europe-west4").get()).isEqualTo(6);
    assertThat(deployments(node).get(0).get("state").asText()).isEqualTo("down");
    assertThat(node.get("/metrics", null).body())
        .contains("tween_deployment_up{deployment=\"veo-us-central1\"} 0.0");

    fake.down.clear();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              node.submit(Bodies.prompted("after-" + System.nanoTime(), 1));
              return fake.accepted.containsKey("fake-project/us-central1");
            });
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> deployments(node).get(0).get("state").asText().equals("up"));
  }

  @Test
  void anOperationWhoseRegionGoesDownIsPolledAgainWhenItIsBackAndNeverCreatedTwice()
      throws Exception {
    var fake = cluster.fake;
    fake.operationMillis = 1000;
    TestNode node =
        cluster.node(cluster.deployments(limits("us-central1", 5, 0)), Map.of(), Clock.systemUTC());
    String id = node.submit(Bodies.prompted("survivor", 1));
    await().atMost(Duration.ofSeconds(10)).until(() -> fake.submits.size() == 1);
    fake.down.add("us-central1");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> deployments(node).get(0).get("state").asText().equals("down"));
    assertThat(status(node.result(id))).isEqualTo("TASK_STATUS_PROCESSING");
    fake.down.clear();
    awaitAll(node, List.of(id), "TASK_STATUS_SUCCEED", Duration.ofSeconds(30));
    assertThat(fake.createsByPrompt.get("survivor").get()).isEqualTo(1);
  }

  @Test
  void cancelingARunningTaskEndsItAndFreesItsSlotForTheNext() throws Exception {
    var fake = cluster.fake;
    fake.operationMillis = 600_000;
    TestNode node =
        cluster.node(cluster.deployments(limits("us-central1", 1, 0)), Map.of(), Clock.systemUTC());
    List<String> ids = submit(node, "cancel-", 2);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> status(node.result(ids.get(0))).equals("TASK_STATUS_PROCESSING"));
    assertThat(status(node.result(ids.get(1)))).isEqualTo("TASK_STATUS_QUEUED");
    var canceled = node.post("/v3/async/tasks/" + ids.get(0) + "/cancel", TestNode.KEY, "");
    assertThat(canceled.statusCode()).isEqualTo(200);
    awaitAll(node, ids.subList(0, 1), "TASK_STATUS_CANCELED", Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> fake.submits.size() == 2);
    assertThat(status(node.result(ids.get(1)))).isEqualTo("TASK_STATUS_PROCESSING");
    await() // refreshed every second from the database
        .atMost(Duration.ofSeconds(5))
        .until(() -> deployments(node).get(0).get("in_flight").asInt() == 1);
  }

  @Test
  void aNodeServingLocalAndVeoRunsEngineTasksBesideManyMoreOperationsThanWorkers()
      throws Exception {
    var fake = cluster.fake;
    fake.operationMillis = 600_000; // every operation stays in flight for the whole test
    TestNode node =
        cluster.node(
            cluster.deployments(limits("us-central1", 100, 0)),
            Map.of("generator", "veo,local", "workers", "1"),
            Clock.systemUTC());
    List<String> veo = submit(node, "beside-", 20);
    await().atMost(Duration.ofSeconds(20)).until(() -> fake.running() == 20);

    var local =
        node.post("/v3/async/tween-local-flf2v", TestNode.KEY, Bodies.prompted("engine", 1));
    assertThat(local.statusCode()).as(local.body()).isEqualTo(200);
    String localId = TestNode.json(local.body()).get("task_id").asText();
    JsonNode done = node.awaitEnd(localId, Duration.ofSeconds(60));
    assertThat(status(done))
        .as("the one worker runs the engine while 20 operations are in flight")
        .isEqualTo("TASK_STATUS_SUCCEED");
    assertThat(fake.running()).isEqualTo(20);
    for (String id : veo) assertThat(status(node.result(id))).isEqualTo("TASK_STATUS_PROCESSING");
    assertThat(fake.submits).hasSize(20);
  }

  static JsonNode deployments(TestNode node) throws Exception {
    JsonNode models = TestNode.json(node.get("/v3/models", TestNode.KEY).body()).get("models");
    return models.get(0).get("deployments");
  }
}
