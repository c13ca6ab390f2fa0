package dev.tween.google;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How to reach Veo 3.1 Lite on Vertex AI (the only Veo backend: the Gemini API's Veo models were
 * shut down on 2026-10-22).
 *
 * @param project Google Cloud project id
 * @param location Vertex AI region, e.g. {@code us-central1}
 * @param credentials service-account JSON; empty: Application Default Credentials
 * @param model model id, {@value #DEFAULT_MODEL} unless overridden
 * @param baseUrl endpoint override (a proxy, or a local fake in tests); empty: Google's
 * @param polling poll pace, timeout, concurrency and retries
 */
public record VeoConfig(
    String project,
    String location,
    Optional<Path> credentials,
    String model,
    Optional<URI> baseUrl,
    Polling polling) {

  public static final String DEFAULT_MODEL = "veo-3.1-lite-generate-001";
}
