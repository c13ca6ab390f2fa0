package dev.tween.google;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The SDK client for Vertex AI and its credentials; a node without usable ones does not start. */
final class VeoClient {
  private static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";

  private VeoClient() {}

  static Client create(VeoConfig c) {
    var http =
        HttpOptions.builder()
            .timeout((int) Duration.ofSeconds(60).toMillis())
            // Retries are ours: each one is visible, counted and bounded per task.
            .retryOptions(HttpRetryOptions.builder().attempts(1).build());
    c.baseUrl().ifPresent(u -> http.baseUrl(u.toString()));
    return Client.builder()
        .httpOptions(http.build())
        .vertexAI(true)
        .project(c.project())
        .location(c.location())
        .credentials(credentials(c))
        .build();
  }

  /**
   * The service account of {@code --veo-credentials}, else Application Default Credentials; a node
   * without usable credentials must not start (every Veo task would fail).
   */
  static GoogleCredentials credentials(VeoConfig c) {
    if (c.credentials().isPresent()) {
      Path file = c.credentials().get();
      try (InputStream in = Files.newInputStream(file)) {
        return GoogleCredentials.fromStream(in).createScoped(SCOPE);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(
            "cannot read the Vertex AI credentials "
                + file
                + ": "
                + e.getMessage()
                + ". Point it at a service-account key JSON (see docs/veo.md), "
                + "or leave it empty to use Application Default Credentials",
            e);
      }
    }
    try {
      return GoogleCredentials.getApplicationDefault().createScoped(SCOPE);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "no Google credentials for Vertex AI: set the deployment's credentials (--veo-credentials)"
              + " to a service-account key JSON, or GOOGLE_APPLICATION_CREDENTIALS, or run `gcloud auth application-default "
              + "login` (see docs/veo.md). "
              + e.getMessage(),
          e);
    }
  }
}
