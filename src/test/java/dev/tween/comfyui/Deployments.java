package dev.tween.comfyui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tween.config.DeploymentFields;
import dev.tween.config.DeploymentSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@code comfyui} deployments for tests, as the deployments file would give them. */
final class Deployments {
  static final Path WAN = Path.of("docs/workflows/wan2.2-flf2v.json").toAbsolutePath();

  private Deployments() {}

  static DeploymentSpec spec(String name, String baseUrl, Path workflow, Integer fps) {
    Map<String, JsonNode> fields = new HashMap<>();
    fields.put("base_url", TextNode.valueOf(baseUrl));
    fields.put("workflow", TextNode.valueOf(workflow.toString()));
    if (fps != null) fields.put("fps", IntNode.valueOf(fps));
    return spec(name, fields, workflow.getParent());
  }

  static DeploymentSpec spec(String name, Map<String, JsonNode> fields, Path dir) {
    return new DeploymentSpec(
        name,
        ComfyUi.GENERATOR,
        1,
        0,
        new DeploymentFields(
            "deployments file " + dir.resolve("deployments.json"), name, fields, dir));
  }

  /** The shipped Wan template with the model size fixed, as a studio with less VRAM would. */
  static Path fixedSize(Path dir, int width, int height) throws IOException {
    String wan = Files.readString(WAN);
    Path file = dir.resolve("wan-" + width + "x" + height + ".json");
    Files.writeString(
        file,
        wan.replace("\"{{width}}\"", Integer.toString(width))
            .replace("\"{{height}}\"", Integer.toString(height)));
    return file;
  }
}
