package dev.tween.gateway;

import dev.tween.generate.GenerationRequest;

/**
 * What one upstream operation is asked to make.
 *
 * @param taskId the task it belongs to (for logs and names upstream, never for identity)
 * @param index 0-based operation of the task: always 0 where one operation makes every sample
 * @param request the two frames and the validated options
 * @param seed the seed of this operation: the task's seed plus {@code index}, wrapped to 32 bits
 */
public record OperationRequest(String taskId, int index, GenerationRequest request, long seed) {

  /** Operation {@code index} of a task, its seed derived from the task's. */
  public static OperationRequest of(String taskId, int index, GenerationRequest request) {
    return new OperationRequest(
        taskId, index, request, (request.options().seed() + index) & 0xFFFF_FFFFL);
  }
}
