package dev.tween.api;

import java.util.Map;

/**
 * An answer other than 2xx, carried to the error handler that writes the contract's body {@code
 * {code, reason, message, metadata}}.
 */
final class ApiException extends RuntimeException {
  private final int status;
  private final String reason;
  private final Map<String, Object> metadata;

  public ApiException(int status, String reason, String message, Map<String, Object> metadata) {
    super(message);
    this.status = status;
    this.reason = reason;
    this.metadata = metadata;
  }

  public static ApiException invalid(String field, String rule) {
    return new ApiException(
        400, "INVALID_REQUEST_BODY", field + ": " + rule, Map.of("field", field));
  }

  public static ApiException notFound(String what) {
    return new ApiException(404, "TASK_NOT_FOUND", what, Map.of());
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  public Map<String, Object> metadata() {
    return metadata;
  }

  /** The JSON body of the answer. */
  public ErrorBody body() {
    return new ErrorBody(reason, reason, getMessage(), metadata);
  }

  public record ErrorBody(
      String code, String reason, String message, Map<String, Object> metadata) {}
}
