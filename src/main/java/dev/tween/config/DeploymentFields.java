package dev.tween.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A deployment's generator-specific fields, read by the package that talks to that generator. Every
 * error names where the deployment came from, the deployment and the field; paths are relative to
 * the deployments file. {@link #rejectUnknown} catches a misspelt field.
 */
public final class DeploymentFields {
  private final String source;
  private final String deployment;
  private final Map<String, JsonNode> values;
  private final Path baseDir;
  private final Map<String, String> labels;
  private final Set<String> read = new LinkedHashSet<>();

  /**
   * @param source where the deployment was configured, e.g. {@code deployments file /etc/d.json} or
   *     {@code --veo-* settings}
   * @param baseDir what relative paths are resolved against
   */
  public DeploymentFields(
      String source, String deployment, Map<String, JsonNode> values, Path baseDir) {
    this(source, deployment, values, baseDir, Map.of());
  }

  /**
   * @param labels how to name a field in errors when it came from elsewhere, e.g. {@code
   *     credentials} → {@code --veo-credentials / TWEEN_VEO_CREDENTIALS}
   */
  DeploymentFields(
      String source,
      String deployment,
      Map<String, JsonNode> values,
      Path baseDir,
      Map<String, String> labels) {
    this.source = source;
    this.deployment = deployment;
    this.values = Map.copyOf(values);
    this.baseDir = baseDir;
    this.labels = Map.copyOf(labels);
  }

  /** A required, non-blank text field. */
  public String text(String field) {
    return optionalText(field).orElseThrow(() -> invalid(field, "is required"));
  }

  public Optional<String> optionalText(String field) {
    read.add(field);
    JsonNode v = values.get(field);
    if (v == null || v.isNull()) return Optional.empty();
    if (!v.isTextual()) throw invalid(field, "must be a string, got " + v);
    String s = v.asText().trim();
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  public String text(String field, String defaultValue) {
    return optionalText(field).orElse(defaultValue);
  }

  /** A whole number in [min, max], or {@code defaultValue} when absent. */
  public int intIn(String field, int min, int max, int defaultValue) {
    read.add(field);
    JsonNode v = values.get(field);
    if (v == null || v.isNull()) return defaultValue;
    if (!v.isIntegralNumber() || !v.canConvertToInt())
      throw invalid(field, "must be a whole number, got " + v);
    int n = v.asInt();
    if (n < min || n > max)
      throw invalid(field, "must be between " + min + " and " + max + ", got " + n);
    return n;
  }

  /** An http(s) URL, when present. */
  public Optional<URI> optionalUrl(String field) {
    Optional<String> s = optionalText(field);
    if (s.isEmpty()) return Optional.empty();
    try {
      URI uri = new URI(s.get());
      if (uri.getHost() == null || uri.getScheme() == null || !uri.getScheme().matches("https?"))
        throw invalid(field, "must be an http(s) URL, got '" + s.get() + "'");
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      throw invalid(field, "is not a URL: " + e.getReason());
    }
  }

  public URI url(String field) {
    return optionalUrl(field).orElseThrow(() -> invalid(field, "is required"));
  }

  /** A readable file, when present; relative to the deployments file. */
  public Optional<Path> optionalFile(String field) {
    return optionalText(field)
        .map(
            s -> {
              Path p = baseDir.resolve(s).normalize();
              if (!Files.isRegularFile(p) || !Files.isReadable(p))
                throw invalid(field, "no readable file " + p);
              return p;
            });
  }

  public Path file(String field) {
    return optionalFile(field).orElseThrow(() -> invalid(field, "is required"));
  }

  /**
   * Fails naming every field that no reader asked for (a typo, or a field of another generator).
   */
  public void rejectUnknown() {
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(read);
    if (!unknown.isEmpty())
      throw new ConfigException(
          source
              + ", deployment \""
              + deployment
              + "\": unknown field"
              + (unknown.size() > 1 ? "s " : " ")
              + String.join(", ", unknown)
              + " (known: "
              + String.join(", ", read)
              + ")");
  }

  /** An error naming the source, the deployment and the field. */
  public ConfigException invalid(String field, String rule) {
    String name = labels.containsKey(field) ? labels.get(field) : "field \"" + field + "\"";
    return new ConfigException(
        source + ", deployment \"" + deployment + "\", " + name + ": " + rule);
  }

  public String deployment() {
    return deployment;
  }
}
