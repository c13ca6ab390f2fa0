package dev.tween.google;

import dev.tween.generate.Generator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The face of {@code google}: the two upstream generators. Each holds an SDK client and is {@link
 * AutoCloseable}.
 */
public final class GoogleGenerators {
  private GoogleGenerators() {}

  /** Removes the audio track of an MP4 in place. */
  @FunctionalInterface
  public interface AudioStripper {
    void strip(Path mp4) throws IOException;
  }

  /** Veo 3.1 Lite on Vertex AI; fails at once without usable credentials. */
  public static Generator veo(
      VeoConfig config, Clock clock, SampleVerifier verifier, CallObserver calls) {
    return new VeoGenerator(config, clock, verifier, calls);
  }

  /** Gemini Omni Flash (Gemini API interactions). */
  public static Generator omni(
      OmniConfig config,
      Clock clock,
      SampleVerifier verifier,
      AudioStripper audio,
      CallObserver calls) {
    return new OmniGenerator(config, clock, verifier, audio, calls);
  }
}
