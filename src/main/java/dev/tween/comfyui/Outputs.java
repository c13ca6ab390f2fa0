package dev.tween.comfyui;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the video among the {@code outputs} of a finished prompt: core {@code SaveVideo} lists it
 * under {@code images} (with {@code animated}), VideoHelperSuite's {@code VHS_VideoCombine} under
 * {@code gifs}. A saved file ({@code type: output}) wins over a preview ({@code temp}); among
 * several, the lowest node id.
 */
final class Outputs {
  private static final Set<String> VIDEO = Set.of("mp4", "webm", "mov", "mkv", "m4v", "avi", "gif");

  private Outputs() {}

  static Optional<ComfyClient.OutputFile> video(JsonNode outputs) {
    List<ComfyClient.OutputFile> found = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    outputs.properties().forEach(e -> ids.add(e.getKey()));
    ids.sort(Comparator.comparingLong(Outputs::number).thenComparing(Comparator.naturalOrder()));
    for (String id : ids) {
      JsonNode node = outputs.get(id);
      for (String key : List.of("gifs", "images")) {
        for (JsonNode f : node.path(key)) {
          String name = f.path("filename").asText("");
          if (VIDEO.contains(extension(name)))
            found.add(
                new ComfyClient.OutputFile(
                    name, f.path("subfolder").asText(""), f.path("type").asText("output")));
        }
      }
    }
    return found.stream()
        .filter(f -> f.type().equals("output"))
        .findFirst()
        .or(() -> found.stream().findFirst());
  }

  /** What the outputs hold, for a reason when there is no video. */
  static String describe(JsonNode outputs) {
    List<String> files = new ArrayList<>();
    for (var node : outputs.properties()) {
      for (JsonNode list : node.getValue()) {
        for (JsonNode f : list) {
          if (f.has("filename")) files.add(f.path("filename").asText());
        }
      }
    }
    return files.isEmpty() ? "no files" : String.join(", ", files);
  }

  private static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static long number(String id) {
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
