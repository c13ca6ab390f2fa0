package dev.tween.webhook;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/** Sends one webhook POST under the outbound address rules (no redirects followed). */
@FunctionalInterface
public interface WebhookTransport {
  /**
   * @return the HTTP status of the receiver's answer
   */
  int post(URI url, Map<String, String> headers, byte[] body) throws IOException;
}
