package dev.tween.gateway;

import dev.tween.google.FakeGoogle;
import dev.tween.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Veo nodes in front of a fake Vertex AI with deployments in several regions: what the gateway
 * tests share. Each deployment is {@code veo-<location>} in project {@code fake-project}.
 */
final class VeoCluster implements AutoCloseable {
  final FakeGoogle fake;
  final Path dir;
  final List<TestNode> nodes = new ArrayList<>();

  VeoCluster(Path dir) throws Exception {
    this.dir = dir;
    this.fake = new FakeGoogle(FakeGoogle.clip(dir, false));
  }

  /** One deployment per entry: location → {max_concurrent, requests_per_minute (0: none)}. */
  Path deployments(Map<String, int[]> limits) throws Exception {
    var out = new StringBuilder("{\"deployments\": [");
    String sep = "";
    for (var e : limits.entrySet()) {
      out.append(sep)
          .append(
              """
              {"name": "veo-%s", "generator": "veo", "project": "fake-project", "location": "%s",
               "credentials": "%s", "base_url": "%s", "max_concurrent": %d%s}"""
                  .formatted(
                      e.getKey(),
                      e.getKey(),
                      fake.serviceAccountJson(dir),
                      fake.baseUrl(),
                      e.getValue()[0],
                      e.getValue()[1] > 0 ? ", \"requests_per_minute\": " + e.getValue()[1] : ""));
      sep = ",\n";
    }
    Path f = dir.resolve("deployments-" + System.nanoTime() + ".json");
    Files.writeString(f, out.append("]}").toString());
    return f;
  }

  TestNode node(Path deployments, Map<String, String> extra, Clock clock) throws Exception {
    var flags = new HashMap<String, String>();
    flags.put("generator", "veo");
    flags.put("deployments", deployments.toString());
    flags.put("veo-poll-millis", "50");
    flags.put("poll-millis", "100");
    flags.put("lease-seconds", "10");
    flags.put("heartbeat-seconds", "1");
    flags.putAll(extra);
    TestNode n = TestNode.start(dir.resolve("node" + nodes.size()), Optional.empty(), flags, clock);
    nodes.add(n);
    return n;
  }

  @Override
  public void close() {
    nodes.forEach(TestNode::close);
    fake.close();
  }
}
