package dev.tween.comfyui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.storage.s3.S3Server;
import dev.tween.testing.Bodies;
import dev.tween.testing.PostgresServer;
import dev.tween.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two tween nodes on one PostgreSQL (and one S3-compatible bucket) in front of the same two ComfyUI
 * boxes: {@code max_concurrent} 1 holds across the cluster, so no box is ever given a second prompt
 * while it runs one.
 */
class ComfyTwoNodeTest {
  final String dbUrl = PostgresServer.get().freshDatabase();
  final S3Server s3 = S3Server.get();
  final String storage = s3.freshStorageUrl();
  final List<TestNode> nodes = new ArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void stop() {
    nodes.forEach(TestNode::close);
  }

  @Test
  void twoNodesNeverGiveOneBoxTwoPromptsAtOnce() throws Exception {
    Path flows = Files.createDirectories(dir.resolve("flows"));
    try (ComfyFarm farm = new ComfyFarm(dir, Deployments.fixedSize(flows, 320, 176))) {
      for (int i = 0; i < 2; i++) {
        var flags = new HashMap<String, String>(s3.flags(storage, false));
        flags.putAll(
            Map.of(
                "db-url",
                dbUrl,
                "db-user",
                PostgresServer.USER,
                "generator",
                "comfyui",
                "deployments",
                farm.deployments.toString(),
                "lease-seconds",
                "5",
                "heartbeat-seconds",
                "1"));
        nodes.add(TestNode.start(dir.resolve("node" + i), Optional.empty(), flags));
      }
      Map<String, TestNode> tasks = new LinkedHashMap<>();
      for (int i = 0; i < 4; i++) {
        TestNode n = nodes.get(i % 2);
        tasks.put(n.submit(Bodies.simple(2)), n);
      }
      tasks.forEach(
          (id, n) ->
              assertThat(n.awaitEnd(id, Duration.ofSeconds(180)).at("/task/status").asText())
                  .isEqualTo("TASK_STATUS_SUCCEED"));
      assertThat(farm.promptCalls()).isEqualTo(8);
      for (FakeComfyUi box : farm.boxes)
        assertThat(box.maxOutstanding()).as("prompts one box held at once").isEqualTo(1);
      assertThat(farm.problems()).isEmpty();
    }
  }
}
