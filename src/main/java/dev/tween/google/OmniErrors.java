package dev.tween.google;

import com.google.genai.errors.ApiException;
import com.google.genai.gaos.models.interactions.Interaction;
import dev.tween.generate.GenerationException;
import java.util.List;

/** Gemini's error answers and refusals as a task's failure: a reason a person can act on. */
final class OmniErrors {
  private OmniErrors() {}

  static GenerationException failure(String what, ApiException e) {
    boolean badKey =
        e.code() == 401
            || e.code() == 403
            || e.code() == 400 && String.valueOf(e.message()).contains("API key");
    String reason =
        badKey
            ? "Google rejected the Gemini API key ("
                + e.code()
                + "): "
                + e.message()
                + " — check --omni-api-key"
            : switch (e.code()) {
              case 400 -> "Gemini Omni rejected the request (400): " + e.message();
              case 404 ->
                  "Gemini model or interaction not found (404): "
                      + e.message()
                      + " — check --omni-model";
              default -> what + " failed (" + e.code() + "): " + e.message();
            };
    return Upstream.retryable(e.code())
        ? GenerationException.transientFailure(reason, e)
        : GenerationException.permanent(reason, e);
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
