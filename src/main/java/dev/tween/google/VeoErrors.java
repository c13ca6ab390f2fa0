package dev.tween.google;

import com.google.genai.errors.ApiException;
import dev.tween.gateway.UpstreamException;
import java.util.Map;

/** Veo's error answers as the gateway's failures, with reasons a person can act on. */
final class VeoErrors {
  private final String project;

  VeoErrors(String project) {
    this.project = project;
  }

  /** An HTTP error answer of Vertex AI to {@code what} tween was doing. */
  UpstreamException failure(String what, ApiException e) {
    return GoogleFailures.answer(what, e, this::reason);
  }

  private String reason(ApiException e) {
    return switch (e.code()) {
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
              + " — check the deployment's model and location";
      default -> "Veo answered " + e.code() + " " + e.status() + ": " + e.message();
    };
  }

  /** An operation that ended with an error: the request itself cannot succeed. */
  static UpstreamException operationError(String operation, Map<String, Object> error) {
    return new UpstreamException.Rejected(
        "Veo operation "
            + operation
            + " failed: "
            + error.getOrDefault("message", "no message")
            + " (code "
            + error.getOrDefault("code", "?")
            + ")",
        null);
  }
}
