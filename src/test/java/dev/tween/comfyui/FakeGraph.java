package dev.tween.comfyui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a prompt in ComfyUI's API format the way the fake needs it: nodes by class, inputs that are
 * links {@code [node id, output slot]}, and what ComfyUI's validation would say of it ({@code
 * execution.py validate_prompt}).
 */
final class FakeGraph {
  /** The node classes the fake can run, with their INT inputs (validated like ComfyUI does). */
  static final Map<String, Set<String>> CLASSES =
      Map.ofEntries(
          Map.entry("CLIPLoader", Set.of()),
          Map.entry("UNETLoader", Set.of()),
          Map.entry("VAELoader", Set.of()),
          Map.entry("ModelSamplingSD3", Set.of()),
          Map.entry("CLIPTextEncode", Set.of()),
          Map.entry("LoadImage", Set.of()),
          Map.entry("WanFirstLastFrameToVideo", Set.of("width", "height", "length", "batch_size")),
          Map.entry(
              "KSamplerAdvanced", Set.of("noise_seed", "steps", "start_at_step", "end_at_step")),
          Map.entry("KSampler", Set.of("seed", "steps")),
          Map.entry("VAEDecode", Set.of()),
          Map.entry("CreateVideo", Set.of()),
          Map.entry("SaveVideo", Set.of()),
          Map.entry("VHS_VideoCombine", Set.of("frame_rate")));

  static final Set<String> OUTPUTS = Set.of("SaveVideo", "VHS_VideoCombine");
  private static final Pattern PLACEHOLDER = Pattern.compile(".*\\{\\{.*}}.*", Pattern.DOTALL);

  final ObjectNode prompt;

  FakeGraph(ObjectNode prompt) {
    this.prompt = prompt;
  }

  Optional<String> first(String classType) {
    return ids(classType).stream().findFirst();
  }

  List<String> ids(String classType) {
    List<String> ids = new ArrayList<>();
    for (var n : prompt.properties())
      if (n.getValue().path("class_type").asText().equals(classType)) ids.add(n.getKey());
    return ids;
  }

  String classOf(String id) {
    return prompt.path(id).path("class_type").asText();
  }

  JsonNode input(String id, String name) {
    return prompt.path(id).path("inputs").path(name);
  }

  /** The node a link input comes from. */
  Optional<String> source(String id, String name) {
    JsonNode v = input(id, name);
    return v.isArray() && v.size() == 2 ? Optional.of(v.get(0).asText()) : Optional.empty();
  }

  /** An INT input as ComfyUI reads it ({@code int(val)}: numbers and numeric strings). */
  long integer(String id, String name) {
    JsonNode v = input(id, name);
    return v.isNumber() ? v.asLong() : Long.parseLong(v.asText().strip());
  }

  double number(String id, String name) {
    JsonNode v = input(id, name);
    return v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText().strip());
  }

  /** Every string value still shaped like a placeholder, as {@code node/input=value}. */
  List<String> leftoverPlaceholders() {
    List<String> left = new ArrayList<>();
    for (var n : prompt.properties()) {
      for (var in : n.getValue().path("inputs").properties()) {
        if (in.getValue().isTextual() && PLACEHOLDER.matcher(in.getValue().asText()).matches())
          left.add(n.getKey() + "/" + in.getKey() + "=" + in.getValue().asText());
      }
    }
    return left;
  }

  /**
   * INT inputs that arrived as JSON strings: ComfyUI converts them, but the contract says numbers.
   */
  List<String> numbersAsStrings() {
    List<String> wrong = new ArrayList<>();
    for (var n : prompt.properties()) {
      Set<String> ints = CLASSES.getOrDefault(n.getValue().path("class_type").asText(), Set.of());
      for (String name : ints) {
        if (input(n.getKey(), name).isTextual()) wrong.add(n.getKey() + "/" + name);
      }
    }
    return wrong;
  }
}
