package dev.tween.testing;

import dev.tween.generate.VideoOptions;
import dev.tween.generate.VideoOptions.AspectRatio;
import dev.tween.generate.VideoOptions.PersonGeneration;
import dev.tween.generate.VideoOptions.Resolution;
import dev.tween.task.TaskSpec;
import dev.tween.task.TaskSpec.ImageRef;
import java.util.Optional;

/** Task specs for tests. */
public final class Specs {
  private Specs() {}

  /**
   * Every generator a claim in these tests may take: tasks made by {@link #simple()} name none (the
   * node's first).
   */
  public static final java.util.List<String> ANY_GENERATOR = java.util.List.of("", "local");

  public static TaskSpec simple() {
    return new TaskSpec(
        new ImageRef.Stored("inputs/x/first.png"),
        new ImageRef.Remote("https://example.com/b.png"),
        options(),
        Optional.empty());
  }

  public static VideoOptions options() {
    return new VideoOptions(
        "a prompt",
        Optional.empty(),
        4,
        Resolution.P720,
        AspectRatio.LANDSCAPE,
        1,
        42,
        true,
        true,
        false,
        PersonGeneration.ALLOW_ADULT);
  }
}
