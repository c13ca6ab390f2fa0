package dev.tween.keys;

import java.util.Optional;

/**
 * Who sent a request: a key from {@code TWEEN_API_KEYS} (no id, no budget) or one created through
 * the admin routes. {@code tenant} owns the tasks; {@code keyName} labels usage and metrics.
 *
 * @param rateLimitPerMinute the key's own submit limit, 0 for the node's default
 */
public record Principal(
    String tenant,
    String keyName,
    Optional<String> keyId,
    Optional<Budget> budget,
    int rateLimitPerMinute) {

  /** A key configured with {@code TWEEN_API_KEYS}: named after its tenant, unlimited. */
  public static Principal configured(String tenant) {
    return new Principal(tenant, tenant, Optional.empty(), Optional.empty(), 0);
  }

  static String tenantOf(String keyId) {
    return "k_" + keyId;
  }
}
