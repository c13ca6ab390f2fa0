package dev.tween.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** A small HTTP client of the tween API, used by the CLI. */
final class TweenClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String base;
  private final String key;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();

  TweenClient(String base, String key) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.key = key;
  }

  /** The models the server serves ({@code GET /v3/models}). */
  JsonNode models() throws IOException, InterruptedException {
    var r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/v3/models"))
                .header("Authorization", "Bearer " + key)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return check(r).get("models");
  }

  /** The submit route of {@code model} (null: the server's first model). */
  String route(String model) throws IOException, InterruptedException {
    JsonNode models = models();
    for (JsonNode m : models) {
      if (model == null || m.get("generator").asText().equals(model))
        return m.at("/routes/0").asText();
    }
    var names = new java.util.ArrayList<String>();
    models.forEach(m -> names.add(m.get("generator").asText()));
    throw new IOException("--model " + model + ": this server serves " + String.join(", ", names));
  }

  String submit(String route, ObjectNode body) throws IOException, InterruptedException {
    var r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + route))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return check(r).get("task_id").asText();
  }

  JsonNode status(String id) throws IOException, InterruptedException {
    var r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/v3/async/task-result?task_id=" + id))
                .header("Authorization", "Bearer " + key)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return check(r);
  }

  /** Polls until the task is final, telling {@code progress} every answer. */
  JsonNode waitFor(String id, Consumer<JsonNode> progress)
      throws IOException, InterruptedException {
    while (true) {
      JsonNode r = status(id);
      progress.accept(r);
      String s = r.at("/task/status").asText();
      if (!s.equals("TASK_STATUS_QUEUED") && !s.equals("TASK_STATUS_PROCESSING")) return r;
      Thread.sleep(1000);
    }
  }

  void download(String url, Path target) throws IOException, InterruptedException {
    var r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofFile(target));
    if (r.statusCode() != 200) throw new IOException("download answered HTTP " + r.statusCode());
  }

  private static JsonNode check(HttpResponse<String> r) throws IOException {
    JsonNode body;
    try {
      body = JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IOException("HTTP " + r.statusCode() + ": " + r.body());
    }
    if (r.statusCode() / 100 != 2) {
      throw new IOException(
          "HTTP "
              + r.statusCode()
              + " "
              + body.path("code").asText()
              + ": "
              + body.path("message").asText());
    }
    return body;
  }

  /** Any JSON route: {@code body} null for GET and DELETE. */
  JsonNode call(String method, String path, ObjectNode body)
      throws IOException, InterruptedException {
    var b =
        HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key);
    b =
        body == null
            ? b.method(method, HttpRequest.BodyPublishers.noBody())
            : b.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    return check(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
  }

  static ObjectNode newBody() {
    return JSON.createObjectNode();
  }
}
