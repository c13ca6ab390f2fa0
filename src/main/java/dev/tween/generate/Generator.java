package dev.tween.generate;

/**
 * A generator that renders on this node: the local tweening engine ({@code dev.tween.engine}). The
 * worker calls {@link #generate} on a worker thread, at most once per task attempt. (Upstream
 * models run as operations the gateway schedules instead: {@code dev.tween.gateway.UpstreamModel}.)
 */
public interface Generator extends Model {

  /**
   * Produces the samples into {@link GenerationJob#sampleFile(int)} for indexes {@code 0 ..
   * sampleCount-1} and reports progress on the way.
   *
   * @throws GenerationException with a reason a person can act on; {@link
   *     GenerationException#retryable()} tells the worker whether another attempt may succeed.
   */
  GenerationResult generate(GenerationJob job) throws GenerationException;
}
