package dev.tween.generate;

/**
 * Something that turns a {@link GenerationRequest} into {@code sampleCount} MP4 files.
 *
 * <p>Implementations: the local tweening engine ({@code dev.tween.engine}) and the upstream Veo
 * model ({@code dev.tween.google}). The worker calls {@link #generate} on a worker thread, at most
 * once per task attempt; a re-run after a crash is a new call with the same {@link
 * GenerationJob#resumeState()} the previous attempt saved.
 */
public interface Generator {

  /** Short name used in logs and metrics, e.g. {@code local} or {@code veo}. */
  String name();

  /**
   * Rejects, before anything is queued, a request this generator can never serve (for example a
   * field the upstream backend does not accept). The message names the field and the rule.
   */
  default void checkSupported(VideoOptions options) throws UnsupportedRequestException {}

  /**
   * Which content fields this generator honours; the others are reported as ignored in the task's
   * reason.
   */
  default Capabilities capabilities() {
    return Capabilities.all(name());
  }

  /**
   * Produces the samples into {@link GenerationJob#sampleFile(int)} for indexes {@code 0 ..
   * sampleCount-1} (or fewer, with a note, when upstream filtered some) and reports progress on the
   * way.
   *
   * @throws GenerationException with a reason a person can act on; {@link
   *     GenerationException#retryable()} tells the worker whether another attempt may succeed.
   */
  GenerationResult generate(GenerationJob job) throws GenerationException;
}
