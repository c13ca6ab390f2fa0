package dev.tween.webhook;

import dev.tween.store.SharedSecrets;
import java.util.Base64;

/** The Standard Webhooks signing secret every node of a deployment signs with. */
public final class WebhookSecret {
  private WebhookSecret() {}

  /**
   * {@code configured} ({@code whsec_…}) when set, else one generated once and shared through the
   * database.
   */
  public static String resolve(String configured, SharedSecrets secrets) {
    if (!configured.isEmpty()) return configured;
    return "whsec_"
        + Base64.getEncoder().encodeToString(secrets.getOrCreate("webhook-signing", 24));
  }
}
