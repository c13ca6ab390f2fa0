package dev.tween.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The accepted API keys, held only as SHA-256 hashes. Each key is its own tenant, named after a
 * prefix of its hash so logs can tell tenants apart without revealing keys.
 */
final class ApiKeys {
  private final List<byte[]> hashes;

  ApiKeys(List<String> keys) {
    if (keys.isEmpty()) throw new IllegalArgumentException("at least one API key is needed");
    this.hashes = keys.stream().map(ApiKeys::sha256).toList();
  }

  /**
   * The tenant of the {@code Authorization} header's key ({@code Bearer <key>} or the bare key), or
   * empty. Every stored hash is compared, in constant time, whatever matches.
   */
  public Optional<String> tenantOf(String authorization) {
    Optional<String> key = secretOf(authorization);
    if (key.isEmpty()) return Optional.empty();
    byte[] h = sha256(key.get());
    byte[] match = null;
    for (byte[] candidate : hashes) {
      if (MessageDigest.isEqual(candidate, h)) match = candidate;
    }
    return match == null ? Optional.empty() : Optional.of(tenantName(match));
  }

  /** The key in an {@code Authorization} header: {@code Bearer <key>} or the bare key. */
  static Optional<String> secretOf(String authorization) {
    if (authorization == null) return Optional.empty();
    String key = authorization.strip();
    if (key.regionMatches(true, 0, "Bearer ", 0, 7)) key = key.substring(7).strip();
    return key.isEmpty() ? Optional.empty() : Optional.of(key);
  }

  static String tenantName(byte[] hash) {
    return "t_" + HexFormat.of().formatHex(hash, 0, 8);
  }

  static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
