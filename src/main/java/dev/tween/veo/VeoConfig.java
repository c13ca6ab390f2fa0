package dev.tween.veo;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach Veo 3.1 Lite.
 *
 * @param backend {@code gemini} (API key) or {@code vertex} (project, location, credentials)
 * @param model model id; defaults differ per backend (see {@link #defaultModel})
 * @param baseUrl endpoint override (a proxy, or a local fake in tests); empty: Google's
 * @param pollInterval first wait between operation polls; grows 1.5× per poll up to {@code maxPollInterval}
 * @param timeout give up on an operation after this long (FAILED with the reason)
 * @param concurrency operations in flight towards Google from this node; more tasks wait their turn
 * @param retries attempts for a submit or poll answered 429/5xx before the task attempt fails (retryable)
 * @param typical typical generation time, only used to estimate progress and eta
 */
public record VeoConfig(
    Backend backend,
    String apiKey,
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

  public enum Backend { GEMINI, VERTEX }

  public static String defaultModel(Backend backend) {
    return backend == Backend.GEMINI ? "veo-3.1-lite-generate-preview" : "veo-3.1-lite-generate-001";
  }

  public VeoConfig {
    if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
  }
}
