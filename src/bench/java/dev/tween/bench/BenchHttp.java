package dev.tween.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls of the API that several benches make. */
final class BenchHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchHttp() {}

  /** Submits {@code body} on the seed's route; the task id. Anything but 200 fails the bench. */
  static String submit(HttpClient http, String base, String key, String body)
      throws IOException, InterruptedException {
    var r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/v3/async/veo-3.1-lite-flf2v"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200)
      throw new IllegalStateException("submit answered " + r.statusCode() + ": " + r.body());
    return JSON.readTree(r.body()).get("task_id").asText();
  }
}
