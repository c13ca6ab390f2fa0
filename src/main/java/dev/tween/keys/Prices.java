package dev.tween.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tween.config.ConfigException;
import dev.tween.generate.VideoOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Price per second of video, per generator ({@code local}, {@code veo}, {@code omni}, {@code
 * comfyui}), resolution and audio, in micro-units of {@code currency}. {@code default} applies
 * where no more specific entry matches; a generator with no entry costs nothing. {@code comfyui}
 * runs on the studio's own GPUs, so it has no list price: its built-in price is 0 until the file
 * sets one.
 */
record Prices(String currency, Map<String, Map<String, Long>> models) {
  private static final Set<String> ENTRIES =
      Set.of("default", "720p", "1080p", "720p_audio", "1080p_audio");

  public Prices {
    models = Map.copyOf(models);
  }

  /** Built-in list prices; the README gives the source and date of each figure. */
  public static Prices builtIn() {
    return new Prices(
        "USD",
        Map.of(
            "veo",
                Map.of(
                    "720p",
                    Money.toMicros(0.03),
                    "1080p",
                    Money.toMicros(0.05),
                    "720p_audio",
                    Money.toMicros(0.05),
                    "1080p_audio",
                    Money.toMicros(0.08),
                    "default",
                    Money.toMicros(0.08)),
            "omni", Map.of("default", Money.toMicros(0.10)),
            "comfyui", Map.of("default", 0L)));
  }

  /**
   * The built-in prices overridden, generator by generator, by the {@code TWEEN_PRICES} file. A
   * file in another currency than USD replaces the built-in table entirely.
   */
  public static Prices load(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw invalid(file + " cannot be read as JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) throw invalid(file + " must hold a JSON object");
    JsonNode currency = root.get("currency");
    if (currency == null || !currency.isTextual() || !currency.asText().matches("[A-Z]{3}")) {
      throw invalid("\"currency\" must be a three-letter code such as \"USD\"");
    }
    JsonNode models = root.get("models");
    if (models == null || !models.isObject())
      throw invalid("\"models\" must be an object of generator names");
    var table = new HashMap<String, Map<String, Long>>();
    if (currency.asText().equals("USD")) table.putAll(builtIn().models());
    for (var model : models.properties()) {
      if (!model.getValue().isObject())
        throw invalid("models." + model.getKey() + " must be an object");
      var entries = new HashMap<String, Long>();
      for (var e : model.getValue().properties()) {
        String where = "models." + model.getKey() + "." + e.getKey();
        if (!ENTRIES.contains(e.getKey()))
          throw invalid(where + " is unknown; use one of " + ENTRIES);
        if (!e.getValue().isNumber() || e.getValue().asDouble() < 0)
          throw invalid(where + " must be a number ≥ 0");
        entries.put(e.getKey(), Money.toMicros(e.getValue().asDouble()));
      }
      table.put(model.getKey(), entries);
    }
    return new Prices(currency.asText(), table);
  }

  /** Micro-units per second of one sample's video. */
  public long perSecond(String generator, VideoOptions.Resolution resolution, boolean audio) {
    Map<String, Long> m = models.get(generator);
    if (m == null) return 0;
    String specific = resolution.wire() + (audio ? "_audio" : "");
    return m.getOrDefault(specific, m.getOrDefault("default", 0L));
  }

  private static ConfigException invalid(String rule) {
    return new ConfigException("setting --prices / TWEEN_PRICES: " + rule);
  }
}
