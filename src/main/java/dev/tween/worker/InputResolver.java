package dev.tween.worker;

import dev.tween.generate.GenerationException;
import dev.tween.generate.InputImage;
import dev.tween.task.TaskSpec.ImageRef;

/** Turns a stored image reference into bytes: reads the blob, or fetches the URL safely. */
@FunctionalInterface
interface InputResolver {
  /**
   * @param field the API field the image came from, for error messages
   * @throws GenerationException permanent when the image can never be read, transient when a retry
   *     may help
   */
  InputImage resolve(String field, ImageRef ref) throws GenerationException;
}
