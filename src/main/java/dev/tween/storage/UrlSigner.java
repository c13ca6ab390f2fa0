package dev.tween.storage;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs download paths with HMAC-SHA256 over {@code path + expiry}, so a link works without the API
 * key until it expires and cannot be altered to reach another blob.
 */
public final class UrlSigner {
  private final byte[] secret;
  private final Clock clock;

  public UrlSigner(byte[] secret, Clock clock) {
    if (secret.length < 32)
      throw new IllegalArgumentException("signing secret must have at least 32 bytes");
    this.secret = secret.clone();
    this.clock = clock;
  }

  /** {@code path?expires=<epoch s>&sig=<mac>}. */
  public String sign(String path, Duration ttl) {
    long expires = clock.instant().plus(ttl).getEpochSecond();
    return path + "?expires=" + expires + "&sig=" + mac(path, expires);
  }

  public Verdict verify(String path, String expires, String sig) {
    long exp;
    try {
      exp = Long.parseLong(expires);
    } catch (NumberFormatException | NullPointerException e) {
      return Verdict.INVALID;
    }
    if (sig == null) return Verdict.INVALID;
    byte[] expected = mac(path, exp).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII)))
      return Verdict.INVALID;
    return clock.instant().getEpochSecond() > exp ? Verdict.EXPIRED : Verdict.VALID;
  }

  private String mac(String path, long expires) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] out = m.doFinal((path + "\n" + expires).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  public enum Verdict {
    VALID,
    EXPIRED,
    INVALID
  }
}
