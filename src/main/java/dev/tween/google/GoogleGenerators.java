package dev.tween.google;

import dev.tween.config.DeploymentFields;
import dev.tween.gateway.Upstream;
import dev.tween.gateway.UpstreamModel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The face of {@code google}, the only package that imports the Google SDK: the two upstream
 * models, and a connection to each of their deployments.
 */
public final class GoogleGenerators {
  private GoogleGenerators() {}

  /** Removes the audio track of an MP4 in place. */
  @FunctionalInterface
  public interface AudioStripper {
    void strip(Path mp4) throws IOException;
  }

  /** Veo 3.1 Lite on Vertex AI; {@code pollFirst}: the first wait between polls. */
  public static UpstreamModel veoModel(Duration pollFirst) {
    return new VeoModel(pollFirst);
  }

  /** Gemini Omni Flash (Gemini API interactions). */
  public static UpstreamModel omniModel(Duration pollFirst) {
    return new OmniModel(pollFirst);
  }

  /**
   * A Vertex AI deployment of Veo (fields: project, location, credentials, model, base_url); fails
   * naming the field without usable credentials.
   */
  public static Upstream veo(DeploymentFields fields, SampleVerifier verifier, CallObserver calls) {
    return new VeoUpstream(fields, verifier, calls);
  }

  /** A Gemini API key's access to Omni (fields: api_key, model, base_url). */
  public static Upstream omni(
      DeploymentFields fields, SampleVerifier verifier, AudioStripper audio, CallObserver calls) {
    return new OmniUpstream(fields, verifier, audio, calls);
  }
}
