package dev.tween.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The body of {@code GET /v3/async/task-result}, field for field as the hosted API answers. */
record TaskResultBody(
    TaskInfo task, Extra extra, List<Video> videos, List<Image> images, List<Object> audios) {

  public record TaskInfo(
      @JsonProperty("task_id") String taskId,
      @JsonProperty("task_type") String taskType,
      String status,
      String reason,
      int eta,
      @JsonProperty("progress_percent") int progressPercent) {}

  /**
   * {@code usage} appears once the task has ended (what it cost its key); {@code expired_at}
   * (ISO-8601) once its files were deleted at the end of the retention.
   */
  public record Extra(
      String seed,
      @JsonProperty("debug_info") DebugInfo debugInfo,
      @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage,
      @JsonProperty("expired_at") @JsonInclude(JsonInclude.Include.NON_NULL) String expiredAt) {}

  public record Usage(
      @JsonProperty("video_seconds") long videoSeconds,
      java.math.BigDecimal cost,
      String currency) {}

  public record DebugInfo(
      @JsonProperty("request_info") String requestInfo,
      @JsonProperty("submit_time_ms") String submitTimeMs,
      @JsonProperty("execute_time_ms") String executeTimeMs,
      @JsonProperty("complete_time_ms") String completeTimeMs) {}

  public record Video(
      @JsonProperty("video_url") String videoUrl,
      @JsonProperty("video_url_ttl") String videoUrlTtl,
      @JsonProperty("video_type") String videoType) {}

  public record Image(
      @JsonProperty("image_url") String imageUrl,
      @JsonProperty("image_url_ttl") String imageUrlTtl,
      @JsonProperty("image_type") String imageType) {}
}
