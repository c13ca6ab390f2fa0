package dev.tween.gateway;

import dev.tween.generate.VideoOptions;
import java.util.Optional;

/**
 * One deployment's connection to a model that runs elsewhere (a Vertex AI project and region, a
 * Gemini API key, a ComfyUI server). The gateway calls it from many threads at once; every call
 * blocks until upstream answers or its own timeout passes, and says how it failed with an {@link
 * UpstreamException}, which the gateway turns into a cooldown, an open circuit, a failed task or a
 * check for a half-made operation.
 *
 * <p>The life of one operation: {@link #create}, then {@link #poll} until {@link
 * OperationState.Finished}, then {@link #deliver}. The gateway stores the id {@link #create}
 * returns before it polls, so a crash resumes polling the same operation; an operation is never
 * created twice for one sample.
 */
public interface Upstream extends AutoCloseable {

  /**
   * An id tween picks and stores before {@link #create}, for upstreams that accept a client-chosen
   * one (ComfyUI's {@code prompt_id}): a create cut short by a crash is then settled by {@link
   * #exists} instead of failing the task. Empty (the default) where upstream names its operations.
   */
  default Optional<String> chooseId() {
    return Optional.empty();
  }

  /**
   * Whether upstream knows an operation created with a chosen id (queued, running or finished).
   * Called only for ids {@link #chooseId} gave.
   */
  default boolean exists(String id) throws UpstreamException {
    throw new UnsupportedOperationException("this upstream names its own operations");
  }

  /**
   * Starts one operation and returns its id: {@code chosenId} itself when given, else upstream's
   * name for it.
   */
  String create(OperationRequest request, Optional<String> chosenId) throws UpstreamException;

  /**
   * One look at an operation. An operation that failed upstream throws {@link
   * UpstreamException.Rejected}; one upstream no longer knows throws {@link
   * UpstreamException.Lost}.
   */
  OperationState poll(String id) throws UpstreamException;

  /**
   * Writes a finished operation's samples to {@code out} (verified, playable H.264 MP4s of the size
   * {@code options} ask for) and says what was delivered. Takes the options, not the frames: a task
   * does not hold its input images while it waits for upstream.
   */
  Delivery deliver(
      String id, OperationState.Finished finished, VideoOptions options, SampleFiles out)
      throws UpstreamException;

  /** Best effort: stops an operation whose task was canceled. Does nothing by default. */
  default void cancel(String id) throws UpstreamException {}

  @Override
  default void close() {}
}
