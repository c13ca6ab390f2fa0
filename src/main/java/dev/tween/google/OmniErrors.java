package dev.tween.google;

import com.google.genai.errors.ApiException;
import com.google.genai.gaos.models.interactions.Interaction;
import dev.tween.gateway.UpstreamException;
import java.util.List;

/** Gemini's error answers and refusals as the gateway's failures: reasons a person can act on. */
final class OmniErrors {
  private OmniErrors() {}

  static UpstreamException failure(String what, ApiException e) {
    return GoogleFailures.answer(what, e, OmniErrors::reason);
  }

  private static String reason(ApiException e) {
    boolean badKey =
        e.code() == 401
            || e.code() == 403
            || e.code() == 400 && String.valueOf(e.message()).contains("API key");
    if (badKey)
      return "Google rejected the Gemini API key ("
          + e.code()
          + "): "
          + e.message()
          + " — check the deployment's api_key (--omni-api-key)";
    return switch (e.code()) {
      case 400 -> "Gemini Omni rejected the request (400): " + e.message();
      case 404 ->
          "Gemini model or interaction not found (404): "
              + e.message()
              + " — check the deployment's model (--omni-model)";
      default -> "Gemini Omni answered " + e.code() + ": " + e.message();
    };
  }

  static String errors(Interaction i) {
    var all =
        i.errors().orElse(List.of()).stream()
            .map(
                e ->
                    e.message().orElse("no message") + e.code().map(c -> " (" + c + ")").orElse(""))
            .toList();
    return all.isEmpty() ? "no message" : String.join("; ", all);
  }

  /** A completed interaction without a video: Omni's safety refusal, in its own words. */
  static String refusal(String id, Interaction i) {
    String text = i.outputText().filter(t -> !t.isBlank()).orElse("");
    return text.isEmpty()
        ? "Gemini interaction " + id + " completed without a video and without a reason"
        : "Gemini Omni declined: " + text.strip();
  }
}
