package dev.tween.google;

import java.net.URI;
import java.util.Optional;

/**
 * How to reach Gemini Omni Flash through the Gemini API's Interactions API.
 *
 * @param apiKey Gemini API key
 * @param model model id, {@value #DEFAULT_MODEL} unless overridden
 * @param baseUrl endpoint override (a proxy, or a local fake in tests); empty: Google's
 * @param polling poll pace, timeout, concurrency and retries
 */
public record OmniConfig(String apiKey, String model, Optional<URI> baseUrl, Polling polling) {

  public static final String DEFAULT_MODEL = "gemini-omni-1.1-flash";
}
