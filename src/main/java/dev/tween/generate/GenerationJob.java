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

  /**
   * Where a generator that has the frames at hand may write the task's poster (a JPEG of the first
   * sample's middle frame, at most 640 wide); when it writes none, the worker makes one from the
   * first sample.
   */
  default Path posterFile() {
    return sampleFile(0).resolveSibling("poster.jpg");
  }

  /** Report progress in [0,1]; values that go down are ignored. Cheap to call per frame. */
  void progress(double fraction);

  /**
   * True once the task was canceled; a generator should stop soon and throw {@link
   * GenerationException#canceled()}.
   */
  boolean canceled();
}
