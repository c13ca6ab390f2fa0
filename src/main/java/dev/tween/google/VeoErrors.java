package dev.tween.google;

import com.google.genai.errors.ApiException;
import dev.tween.generate.GenerationException;
import java.util.Map;

/** Veo's error answers as a task's failure: a reason a person can act on, and whether to retry. */
final class VeoErrors {
  private final String project;

  VeoErrors(String project) {
    this.project = project;
  }

  /** An HTTP error answer of Vertex AI to {@code what} tween was doing. */
  GenerationException failure(String what, ApiException e) {
    String reason =
        switch (e.code()) {
          case 401, 403 ->
              "Google rejected the Vertex AI credentials ("
                  + e.code()
                  + " "
                  + e.status()
                  + "): "
                  + e.message()
                  + " — the service account needs roles/aiplatform.user on project "
                  + project
                  + " and the Vertex AI API must be enabled";
          case 400 -> "Veo rejected the request (400): " + e.message();
          case 404 ->
              "Veo model or operation not found (404): "
                  + e.message()
                  + " — check --veo-model and --veo-location";
          default -> what + " failed (" + e.code() + " " + e.status() + "): " + e.message();
        };
    return Upstream.retryable(e.code())
        ? GenerationException.transientFailure(reason, e)
        : GenerationException.permanent(reason, e);
  }

  /** An operation that ended with an error: the request itself cannot succeed. */
  static GenerationException operationError(String operation, Map<String, Object> error) {
    return GenerationException.permanent(
        "Veo operation "
            + operation
            + " failed: "
            + error.getOrDefault("message", "no message")
            + " (code "
            + error.getOrDefault("code", "?")
            + ")");
  }
}
