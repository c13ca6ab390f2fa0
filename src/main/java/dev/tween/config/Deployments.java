package dev.tween.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where each upstream generator's work goes: the deployments file ({@code --deployments}), and for
 * a served generator that the file does not cover, the one deployment its {@code --veo-*} or {@code
 * --omni-*} settings describe. Every error names the file, the deployment and the field.
 */
final class Deployments {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,63}");
  private static final Set<String> COMMON =
      Set.of("name", "generator", "max_concurrent", "requests_per_minute");

  /** Operations at once, per deployment, when the file does not say. */
  static int defaultMaxConcurrent(String generator) {
    return generator.equals("comfyui") ? 1 : 10;
  }

  private Deployments() {}

  /** The deployments in {@code file}, for generators among {@code served}. */
  static List<DeploymentSpec> read(Path file, List<String> served) {
    String source = "deployments file " + file;
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException(source + ": cannot be read: " + e);
    }
    if (root == null || !root.isObject() || !root.path("deployments").isArray())
      throw new ConfigException(
          source + ": must be a JSON object {\"deployments\": [ … ]} (see the README)");
    Path base = file.toAbsolutePath().getParent();
    List<DeploymentSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int i = 0;
    for (JsonNode d : root.get("deployments")) {
      i++;
      if (!d.isObject())
        throw new ConfigException(source + ": deployment " + i + " is not a JSON object");
      JsonNode nameNode = d.get("name");
      if (nameNode == null || !nameNode.isTextual() || !NAME.matcher(nameNode.asText()).matches())
        throw new ConfigException(
            source
                + ", deployment "
                + i
                + ", field \"name\": must be 1–63 of a-z, 0-9 and -, got "
                + nameNode);
      String name = nameNode.asText();
      if (!names.add(name))
        throw new ConfigException(source + ": two deployments are named \"" + name + "\"");
      String where = source + ", deployment \"" + name + "\"";
      JsonNode gen = d.get("generator");
      if (gen == null || !gen.isTextual())
        throw new ConfigException(where + ", field \"generator\": is required");
      String generator = gen.asText();
      if (!TweenConfig.GENERATORS.contains(generator) || generator.equals("local"))
        throw new ConfigException(
            where
                + ", field \"generator\": must be one of veo, omni, comfyui"
                + " (the upstream generators), got \""
                + generator
                + "\"");
      if (!served.contains(generator))
        throw new ConfigException(
            where
                + ", field \"generator\": "
                + generator
                + " is not served by this node (--generator "
                + String.join(",", served)
                + "); add it there or remove the deployment");
      int max = limit(where, d, "max_concurrent", defaultMaxConcurrent(generator));
      int rpm = limit(where, d, "requests_per_minute", 0);
      Map<String, JsonNode> own = new LinkedHashMap<>();
      d.fields()
          .forEachRemaining(
              e -> {
                if (!COMMON.contains(e.getKey())) own.put(e.getKey(), e.getValue());
              });
      out.add(
          new DeploymentSpec(
              name, generator, max, rpm, new DeploymentFields(source, name, own, base)));
    }
    if (out.isEmpty()) throw new ConfigException(source + ": lists no deployment");
    return out;
  }

  private static int limit(String where, JsonNode d, String field, int absent) {
    JsonNode v = d.get(field);
    if (v == null || v.isNull()) return absent;
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1)
      throw new ConfigException(
          where + ", field \"" + field + "\": must be a whole number of at least 1, got " + v);
    return v.asInt();
  }

  /**
   * The deployment a generator's own settings describe, named after the generator.
   *
   * @param fields field name → setting name, e.g. {@code project} → {@code veo-project}
   */
  static DeploymentSpec fromSettings(
      String generator,
      int maxConcurrent,
      int requestsPerMinute,
      Map<String, String> fields,
      java.util.function.Function<String, String> value,
      java.util.function.Function<String, String> label) {
    Map<String, JsonNode> values = new LinkedHashMap<>();
    Map<String, String> labels = new LinkedHashMap<>();
    fields.forEach(
        (field, setting) -> {
          String v = value.apply(setting);
          if (!v.isEmpty()) values.put(field, TextNode.valueOf(v));
          labels.put(field, label.apply(setting));
        });
    return new DeploymentSpec(
        generator,
        generator,
        maxConcurrent,
        requestsPerMinute,
        new DeploymentFields(
            "the --" + generator + "-* settings",
            generator,
            values,
            Path.of("").toAbsolutePath(),
            labels));
  }
}
