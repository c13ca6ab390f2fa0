package dev.tween.comfyui;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** ComfyUI's error answers as a task's reason: the node, its class and ComfyUI's own words. */
final class ComfyErrors {
  private static final int MAX = 1_000;

  private ComfyErrors() {}

  /**
   * The answer of {@code POST /prompt} to a workflow it will not run: {@code {"error": {"type",
   * "message", "details"}, "node_errors": {"<id>": {"class_type", "errors": [{"message",
   * "details"}]}}}}.
   */
  static String rejected(JsonNode answer) {
    List<String> nodes = new ArrayList<>();
    for (var node : answer.path("node_errors").properties()) {
      JsonNode n = node.getValue();
      List<String> errors = new ArrayList<>();
      for (JsonNode e : n.path("errors")) errors.add(messageAndDetails(e));
      nodes.add(
          "node "
              + node.getKey()
              + " ("
              + n.path("class_type").asText("?")
              + "): "
              + (errors.isEmpty() ? "invalid" : String.join("; ", errors)));
    }
    String text =
        nodes.isEmpty() ? messageAndDetails(answer.path("error")) : String.join("; ", nodes);
    return clip("ComfyUI rejected the workflow: " + text);
  }

  /**
   * A prompt that ran and failed, from the {@code status.messages} of its history entry: {@code
   * ["execution_error", {"node_id", "node_type", "exception_type", "exception_message"}]} or {@code
   * ["execution_interrupted", {"node_id", "node_type"}]}.
   */
  static String failed(String promptId, JsonNode status) {
    for (JsonNode m : status.path("messages")) {
      String event = m.path(0).asText();
      JsonNode d = m.path(1);
      String at =
          "node " + d.path("node_id").asText("?") + " (" + d.path("node_type").asText("?") + ")";
      if (event.equals("execution_error")) {
        return clip(
            "ComfyUI failed at "
                + at
                + ": "
                + oneLine(d.path("exception_message").asText("no message"))
                + (d.path("exception_type").asText().isEmpty()
                    ? ""
                    : " (" + d.path("exception_type").asText() + ")"));
      }
      if (event.equals("execution_interrupted")) {
        return "ComfyUI prompt " + promptId + " was interrupted on the server at " + at;
      }
    }
    return "ComfyUI prompt "
        + promptId
        + " ended with status "
        + status.path("status_str").asText("?");
  }

  private static String messageAndDetails(JsonNode e) {
    String message = e.path("message").asText("no message");
    String details = e.path("details").asText("");
    return oneLine(details.isBlank() ? message : message + ": " + details);
  }

  private static String oneLine(String s) {
    return s.strip().replaceAll("\\s*\\R+\\s*", " ");
  }

  private static String clip(String s) {
    return s.length() <= MAX ? s : s.substring(0, MAX - 1) + "…";
  }
}
