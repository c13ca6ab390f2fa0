package dev.tween.google;

import dev.tween.config.DeploymentFields;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How to reach Veo 3.1 Lite on one Vertex AI deployment (the only Veo backend: the Gemini API's Veo
 * models were shut down on 2026-10-22).
 *
 * @param project Google Cloud project id
 * @param location Vertex AI region, e.g. {@code us-central1}
 * @param credentials service-account JSON; empty: Application Default Credentials
 * @param model model id, {@value #DEFAULT_MODEL} unless overridden
 * @param baseUrl endpoint override (a proxy, or a local fake in tests); empty: Google's
 */
public record VeoConfig(
    String project,
    String location,
    Optional<Path> credentials,
    String model,
    Optional<URI> baseUrl) {

  public static final String DEFAULT_MODEL = "veo-3.1-lite-generate-001";
  public static final String DEFAULT_LOCATION = "us-central1";

  /** A {@code veo} deployment's fields: project, location, credentials, model, base_url. */
  static VeoConfig from(DeploymentFields f) {
    var c =
        new VeoConfig(
            f.text("project"),
            f.text("location", DEFAULT_LOCATION),
            f.optionalFile("credentials"),
            f.text("model", DEFAULT_MODEL),
            f.optionalUrl("base_url"));
    f.rejectUnknown();
    return c;
  }
}
