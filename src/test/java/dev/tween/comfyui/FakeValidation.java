package dev.tween.comfyui;

import static dev.tween.comfyui.FakeComfyUi.JSON;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The answers of ComfyUI's {@code validate_prompt} (execution.py) to a prompt it will not run. */
final class FakeValidation {
  private FakeValidation() {}

  /**
   * Null if the prompt may run, else the 400 body {@code {"error", "node_errors"}}.
   *
   * @param forced a node to refuse whatever it holds, as if its model file were missing
   */
  static ObjectNode validate(FakeGraph g, Path input, String forced) {
    for (var n : g.prompt.properties()) {
      String cls = n.getValue().path("class_type").asText(null);
      if (cls == null)
        return refuse(
            FakeComfyUi.error(
                "invalid_prompt",
                "Cannot execute because a node is missing the class_type property.",
                "Node ID '#" + n.getKey() + "'"),
            JSON.createObjectNode());
      if (!FakeGraph.CLASSES.containsKey(cls))
        return refuse(
            FakeComfyUi.error(
                "invalid_prompt",
                "Cannot execute because node " + cls + " does not exist.",
                "Node ID '#" + n.getKey() + "'"),
            JSON.createObjectNode());
    }
    List<String> outputs = new ArrayList<>();
    for (String cls : FakeGraph.OUTPUTS) outputs.addAll(g.ids(cls));
    if (outputs.isEmpty())
      return refuse(
          FakeComfyUi.error("prompt_no_outputs", "Prompt has no outputs", ""),
          JSON.createObjectNode());
    ObjectNode nodeErrors = JSON.createObjectNode();
    List<String> lines = new ArrayList<>();
    for (var n : g.prompt.properties()) {
      String id = n.getKey();
      String cls = g.classOf(id);
      List<ObjectNode> errors = new ArrayList<>();
      if (id.equals(forced)) {
        errors.add(
            cls.equals("UNETLoader")
                ? FakeComfyUi.error(
                    "value_not_in_list",
                    "Value not in list",
                    "unet_name: '" + g.input(id, "unet_name").asText() + "' not in []")
                : FakeComfyUi.error(
                    "custom_validation_failed", "Custom validation failed for node", "forced"));
      }
      if (cls.equals("LoadImage")
          && !Files.isRegularFile(input.resolve(g.input(id, "image").asText())))
        errors.add(
            FakeComfyUi.error(
                "custom_validation_failed",
                "Custom validation failed for node",
                "image - Invalid image file: " + g.input(id, "image").asText()));
      for (String name : FakeGraph.CLASSES.get(cls)) {
        if (!g.input(id, name).isMissingNode()) intError(g, id, name).ifPresent(errors::add);
      }
      if (errors.isEmpty()) continue;
      ObjectNode e = nodeErrors.putObject(id);
      ArrayNode list = e.putArray("errors");
      errors.forEach(list::add);
      outputs.forEach(e.putArray("dependent_outputs")::add);
      e.put("class_type", cls);
      errors.forEach(x -> lines.add(x.get("message").asText() + ": " + x.get("details").asText()));
    }
    if (nodeErrors.isEmpty()) return null;
    return refuse(
        FakeComfyUi.error(
            "prompt_outputs_failed_validation",
            "Prompt outputs failed validation",
            String.join("\n", lines)),
        nodeErrors);
  }

  private static final Set<String> SIZES = Set.of("width", "height");

  private static java.util.Optional<ObjectNode> intError(FakeGraph g, String id, String name) {
    long v;
    try {
      v = g.integer(id, name);
    } catch (NumberFormatException e) {
      String val = g.input(id, name).asText();
      return java.util.Optional.of(
          FakeComfyUi.error(
              "invalid_input_type",
              "Failed to convert an input value to a INT value",
              name + ", " + val + ", invalid literal for int() with base 10: '" + val + "'"));
    }
    if (SIZES.contains(name) && v < 16)
      return java.util.Optional.of(
          FakeComfyUi.error(
              "value_smaller_than_min", "Value " + v + " smaller than min of 16", name));
    return java.util.Optional.empty();
  }

  private static ObjectNode refuse(ObjectNode error, ObjectNode nodeErrors) {
    ObjectNode answer = JSON.createObjectNode();
    answer.set("error", error);
    answer.set("node_errors", nodeErrors);
    return answer;
  }
}
