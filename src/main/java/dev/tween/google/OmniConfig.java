package dev.tween.google;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach Gemini Omni Flash through the Gemini API's Interactions API.
 *
 * @param apiKey Gemini API key
 * @param model model id, {@value #DEFAULT_MODEL} unless overridden
 * @param baseUrl endpoint override (a proxy, or a local fake in tests); empty: Google's
 * @param pollInterval first wait between interaction polls; grows 1.5× per poll up to {@code maxPollInterval}
 * @param timeout give up on an interaction after this long (FAILED with the reason)
 * @param concurrency interactions in flight towards Google from this node
 * @param retries attempts for a create or get answered 429/5xx before the task attempt fails (retryable)
 * @param typical typical generation time, only used to estimate progress and eta
 */
public record OmniConfig(
    String apiKey,
    String model,
    Optional<URI> baseUrl,
    Duration pollInterval,
    Duration maxPollInterval,
    Duration timeout,
    int concurrency,
    int retries,
    Duration typical) {

  public static final String DEFAULT_MODEL = "gemini-omni-1.1-flash";

  public OmniConfig {
    if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
  }
}
