package dev.tween.google;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
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
 * @param pollInterval first wait between operation polls; grows 1.5× per poll up to {@code maxPollInterval}
 * @param timeout give up on an operation after this long (FAILED with the reason)
 * @param concurrency operations in flight towards Google from this node; more tasks wait their turn
 * @param retries attempts for a submit or poll answered 429/5xx before the task attempt fails (retryable)
 * @param typical typical generation time, only used to estimate progress and eta
 */
public record VeoConfig(
    String project,
    String location,
    Optional<Path> credentials,
    String model,
    Optional<URI> baseUrl,
    Duration pollInterval,
    Duration maxPollInterval,
    Duration timeout,
    int concurrency,
    int retries,
    Duration typical) {

  public static final String DEFAULT_MODEL = "veo-3.1-lite-generate-001";

  public VeoConfig {
    if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
  }
}
