package dev.tween.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Standard Webhooks signatures: {@code v1,base64(HMAC-SHA256(secret, id.timestamp.body))}. */
final class WebhookSigner {
  private final byte[] key;

  /**
   * @param secret {@code whsec_<base64>}
   */
  WebhookSigner(String secret) {
    if (!secret.startsWith("whsec_"))
      throw new IllegalArgumentException("webhook secret must start with whsec_");
    this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
  }

  String sign(String messageId, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
