package dev.tween.task;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.tween.generate.VideoOptions;
import java.util.Optional;

/**
 * A validated submit request as the task store keeps it (JSON in the task row). The images are not
 * inline: they are either already in blob storage or a URL the worker fetches.
 */
public record TaskSpec(
    ImageRef firstFrame,
    ImageRef lastFrame,
    VideoOptions options,
    Optional<String> webhookUrl,
    String generator) {

  /**
   * {@code generator}: the one the submit route named; empty in rows from before per-model routes
   * (the node's first).
   */
  public TaskSpec {
    if (generator == null) generator = "";
  }

  public TaskSpec(
      ImageRef firstFrame, ImageRef lastFrame, VideoOptions options, Optional<String> webhookUrl) {
    this(firstFrame, lastFrame, options, webhookUrl, "");
  }

  /** Where an input frame is. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = ImageRef.Stored.class, name = "stored"),
    @JsonSubTypes.Type(value = ImageRef.Remote.class, name = "remote")
  })
  public sealed interface ImageRef {
    /** Bytes already validated and kept under {@code blobKey}. */
    record Stored(String blobKey) implements ImageRef {}

    /** An http(s) URL fetched by the worker (through the SSRF-safe fetcher). */
    record Remote(String url) implements ImageRef {}
  }
}
