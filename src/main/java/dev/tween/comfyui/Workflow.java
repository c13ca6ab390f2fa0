package dev.tween.comfyui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tween.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A workflow exported in ComfyUI's API format ({@code {"<node id>": {"class_type": …, "inputs":
 * {…}}}}) with tween's placeholders, checked when the node starts and filled in for each prompt.
 */
final class Workflow {
  static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Pattern TOKEN = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");

  private final Path file;
  private final ObjectNode template;
  private final Set<Placeholder> present;
  private final int samplers;

  private Workflow(Path file, ObjectNode template, Set<Placeholder> present, int samplers) {
    this.file = file;
    this.template = template;
    this.present = present;
    this.samplers = samplers;
  }

  /**
   * Reads and checks a workflow file.
   *
   * @param invalid turns a rule into the error naming the deployment and its field
   * @throws ConfigException naming the file: not JSON, not the API format, a required placeholder
   *     missing, an unknown placeholder or one inside a longer string
   */
  static Workflow load(Path file, Function<String, ConfigException> invalid) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw invalid.apply(file + " is not valid JSON: " + e.getOriginalMessage() + where(e));
    } catch (IOException e) {
      throw invalid.apply(file + " cannot be read: " + e.getMessage());
    }
    if (root == null || !root.isObject() || root.isEmpty())
      throw invalid.apply(file + " must hold a JSON object of nodes (ComfyUI's API format)");
    if (root.has("nodes") && root.has("links"))
      throw invalid.apply(
          file
              + " is in ComfyUI's UI format (it has \"nodes\" and \"links\"); export it with"
              + " Workflow → Export (API)");
    List<String> problems = new ArrayList<>();
    Set<Placeholder> present = EnumSet.noneOf(Placeholder.class);
    int samplers = 0;
    for (var node : root.properties()) {
      JsonNode n = node.getValue();
      String id = node.getKey();
      if (!n.isObject() || !n.path("class_type").isTextual() || !n.path("inputs").isObject()) {
        problems.add("node \"" + id + "\" has no class_type and inputs (is this the API format?)");
        continue;
      }
      String type = n.get("class_type").asText();
      if (type.contains("Sampler")) samplers++;
      for (var input : n.get("inputs").properties()) {
        String at = "node " + id + " (" + type + ") input \"" + input.getKey() + "\"";
        scan(input.getValue(), at, present, problems);
      }
    }
    for (Placeholder p : Placeholder.values()) {
      if (p.required() && !present.contains(p)) problems.add("no " + p.token() + " placeholder");
    }
    if (!problems.isEmpty()) throw invalid.apply(file + ": " + String.join("; ", problems));
    return new Workflow(file, (ObjectNode) root, present, samplers);
  }

  private static void scan(JsonNode v, String at, Set<Placeholder> present, List<String> problems) {
    if (v.isArray()) {
      for (JsonNode e : v) scan(e, at, present, problems);
    } else if (v.isObject()) {
      for (var e : v.properties()) scan(e.getValue(), at, present, problems);
    } else if (v.isTextual()) {
      Matcher m = TOKEN.matcher(v.asText());
      boolean whole = m.matches();
      m.reset();
      while (m.find()) {
        var p = Placeholder.byKey(m.group(1));
        if (p.isEmpty()) {
          problems.add(
              "unknown placeholder " + m.group() + " at " + at + " (known: " + known() + ")");
        } else if (!whole || !v.asText().equals(p.get().token())) {
          problems.add(
              at
                  + " holds "
                  + m.group()
                  + " inside a longer string; a placeholder must be the whole"
                  + " value, exactly \""
                  + p.get().token()
                  + "\"");
        } else {
          present.add(p.get());
        }
      }
    }
  }

  private static String known() {
    return String.join(", ", Arrays.stream(Placeholder.values()).map(Placeholder::token).toList());
  }

  private static String where(JsonProcessingException e) {
    var loc = e.getLocation();
    return loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }

  /** A copy of the template with every placeholder replaced by its value. */
  ObjectNode fill(Map<Placeholder, JsonNode> values) {
    ObjectNode copy = template.deepCopy();
    replace(copy, values);
    return copy;
  }

  private static void replace(JsonNode container, Map<Placeholder, JsonNode> values) {
    if (container instanceof ObjectNode o) {
      for (String key : o.properties().stream().map(Map.Entry::getKey).toList()) {
        JsonNode v = o.get(key);
        if (v.isContainerNode()) replace(v, values);
        else value(v, values).ifPresent(x -> o.set(key, x));
      }
    } else if (container instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        JsonNode v = a.get(i);
        int at = i;
        if (v.isContainerNode()) replace(v, values);
        else value(v, values).ifPresent(x -> a.set(at, x));
      }
    }
  }

  private static Optional<JsonNode> value(JsonNode v, Map<Placeholder, JsonNode> values) {
    if (!v.isTextual()) return Optional.empty();
    return Placeholder.byToken(v.asText())
        .map(
            p -> {
              JsonNode x = values.get(p);
              if (x == null) throw new IllegalArgumentException("no value for " + p.token());
              return x;
            });
  }

  boolean has(Placeholder p) {
    return present.contains(p);
  }

  /** Nodes that report sampling progress (KSampler and friends); at least 1. */
  int samplers() {
    return Math.max(1, samplers);
  }

  Path file() {
    return file;
  }
}
