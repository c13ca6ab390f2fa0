package dev.tween.fetch;

import java.time.Duration;

/**
 * Limits of outbound fetches.
 *
 * @param maxBytes largest body read (20 MiB: the API's per-image limit)
 * @param maxRedirects redirects followed, each re-validated (webhooks use 0)
 */
record FetchPolicy(
    AddressPolicy addresses,
    long maxBytes,
    int maxRedirects,
    Duration connectTimeout,
    Duration readTimeout,
    Duration callTimeout) {

  public static final long MAX_IMAGE_BYTES = 20L * 1024 * 1024;

  public static FetchPolicy images(boolean allowPrivate) {
    return new FetchPolicy(
        new AddressPolicy(allowPrivate),
        MAX_IMAGE_BYTES,
        3,
        Duration.ofSeconds(3),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30));
  }

  public static FetchPolicy webhooks(boolean allowPrivate) {
    return new FetchPolicy(
        new AddressPolicy(allowPrivate),
        64 * 1024,
        0,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(15));
  }
}
