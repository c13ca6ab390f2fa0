package dev.tween.google;

import dev.tween.config.DeploymentFields;
import java.net.URI;
import java.util.Optional;

/**
 * How to reach Gemini Omni Flash with one Gemini API key (one deployment).
 *
 * @param apiKey Gemini API key
 * @param model model id, {@value #DEFAULT_MODEL} unless overridden
 * @param baseUrl endpoint override (a proxy, or a local fake in tests); empty: Google's
 */
public record OmniConfig(String apiKey, String model, Optional<URI> baseUrl) {

  public static final String DEFAULT_MODEL = "gemini-omni-1.1-flash";

  /** An {@code omni} deployment's fields: api_key, model, base_url. */
  static OmniConfig from(DeploymentFields f) {
    var c =
        new OmniConfig(
            f.text("api_key"), f.text("model", DEFAULT_MODEL), f.optionalUrl("base_url"));
    f.rejectUnknown();
    return c;
  }

  @Override
  public String toString() {
    return "OmniConfig[model=" + model + ", baseUrl=" + baseUrl + "]"; // never the key
  }
}
