package dev.tween.generate;

import java.nio.file.Path;

/** What a generator gets from the worker for one attempt of one task. */
public interface GenerationJob {

  String taskId();

  GenerationRequest request();

  /**
   * The generator the task's submit route named; empty: the node's first (tasks from before
   * routes).
   */
  default String generator() {
    return "";
  }

  /** Where sample {@code index} (0-based) must be written as a complete MP4. */
  Path sampleFile(int index);

  /** Report progress in [0,1]; values that go down are ignored. Cheap to call per frame. */
  void progress(double fraction);

  /**
   * True once the task was canceled; a generator should stop soon and throw {@link
   * GenerationException#canceled()}.
   */
  boolean canceled();
}
