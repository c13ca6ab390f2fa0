package dev.tween.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tween.app.App;
import dev.tween.config.TweenConfig;
import dev.tween.generate.Generator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A real tween node on port 0 with its own data directory, and an HTTP client to talk to it. */
public final class TestNode implements AutoCloseable {
  public static final String KEY = "test-key-a";
  public static final String OTHER_KEY = "test-key-b";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final App app;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestNode(App app) {
    this.app = app;
  }

  public static TestNode start(
      Path dataDir, Optional<Generator> generator, Map<String, String> flags) throws IOException {
    return start(dataDir, generator, flags, Clock.systemUTC());
  }

  /** A node on {@code clock}: a test that moves a {@link MutableClock} skips waits, not sleeps. */
  public static TestNode start(
      Path dataDir, Optional<Generator> generator, Map<String, String> flags, Clock clock)
      throws IOException {
    var all = new HashMap<String, String>();
    all.put("port", "0");
    all.put("host", "127.0.0.1");
    all.put("data", dataDir.toString());
    all.put("api-keys", KEY + "," + OTHER_KEY);
    all.put("poll-millis", "200");
    all.put("rate-limit-per-minute", "0");
    all.put("fetch-allow-private", "true");
    all.putAll(flags);
    return new TestNode(App.start(TweenConfig.load(Map.of(), all), clock, generator));
  }

  public static TestNode start(Path dataDir, Generator generator) throws IOException {
    return start(dataDir, Optional.of(generator), Map.of());
  }

  public String url(String path) {
    return app.baseUrl() + path;
  }

  public HttpResponse<String> get(String path, String key)
      throws IOException, InterruptedException {
    var b = HttpRequest.newBuilder(URI.create(url(path))).GET();
    if (key != null) b.header("Authorization", "Bearer " + key);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String path, String key, String body)
      throws IOException, InterruptedException {
    var b =
        HttpRequest.newBuilder(URI.create(url(path)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) b.header("Authorization", "Bearer " + key);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<byte[]> download(String absoluteUrl, Map<String, String> headers)
      throws IOException, InterruptedException {
    var b = HttpRequest.newBuilder(URI.create(absoluteUrl)).GET();
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Submits and returns the task id, failing the test on anything but 200. */
  public String submit(String body) throws IOException, InterruptedException {
    var r = post("/v3/async/veo-3.1-lite-flf2v", KEY, body);
    if (r.statusCode() != 200)
      throw new AssertionError("submit answered " + r.statusCode() + ": " + r.body());
    return json(r.body()).get("task_id").asText();
  }

  public JsonNode result(String taskId) throws IOException, InterruptedException {
    var r = get("/v3/async/task-result?task_id=" + taskId, KEY);
    if (r.statusCode() != 200)
      throw new AssertionError("task-result answered " + r.statusCode() + ": " + r.body());
    return json(r.body());
  }

  /** The task's result once it is SUCCEED, FAILED or CANCELED. */
  public JsonNode awaitEnd(String taskId, Duration atMost) {
    return org.awaitility.Awaitility.await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> result(taskId),
            r -> r.at("/task/status").asText().matches("TASK_STATUS_(SUCCEED|FAILED|CANCELED)"));
  }

  public static JsonNode json(String s) throws IOException {
    return JSON.readTree(s);
  }

  public App app() {
    return app;
  }

  @Override
  public void close() {
    app.close();
  }
}
