package dev.tween.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A small HTTP client of the tween API, used by the CLI. Every failure is a {@link CliException}
 * that says what went wrong in one line: the server's status and message, or the URL it could not
 * reach.
 */
final class TweenClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT = Duration.ofSeconds(10);
  static final Duration POLL = Duration.ofMillis(500);

  private final String base;
  private final String key;
  private final String keyHint;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(CONNECT)
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();

  /**
   * @param keyHint where the key can be set, named when the server refuses it
   */
  TweenClient(String base, String key, String keyHint) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.key = key;
    this.keyHint = keyHint;
  }

  /** The models the server serves ({@code GET /v3/models}). */
  JsonNode models() throws InterruptedException {
    return call("GET", "/v3/models", null).get("models");
  }

  /** The submit route of {@code model} (null: the server's first model). */
  String route(String model) throws InterruptedException {
    JsonNode models = models();
    for (JsonNode m : models) {
      if (model == null || m.get("generator").asText().equals(model))
        return m.at("/routes/0").asText();
    }
    var names = new java.util.ArrayList<String>();
    models.forEach(m -> names.add(m.get("generator").asText()));
    throw CliException.usage(
        "--model " + model + ": this server serves " + String.join(", ", names));
  }

  String submit(String route, ObjectNode body) throws InterruptedException {
    return call("POST", route, body).get("task_id").asText();
  }

  JsonNode status(String id) throws InterruptedException {
    return call(
        "GET",
        "/v3/async/task-result?task_id="
            + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8),
        null);
  }

  /** Polls until the task is final, telling {@code progress} every answer. */
  JsonNode waitFor(String id, Consumer<JsonNode> progress) throws InterruptedException {
    while (true) {
      JsonNode r = status(id);
      progress.accept(r);
      String s = r.at("/task/status").asText();
      if (!s.equals("TASK_STATUS_QUEUED") && !s.equals("TASK_STATUS_PROCESSING")) return r;
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Downloads a video link; nothing is left at {@code target} unless the whole file arrived. */
  void download(String url, Path target) throws IOException, InterruptedException {
    Path part = target.resolveSibling(target.getFileName() + ".part");
    try {
      var r =
          send(
              HttpRequest.newBuilder(URI.create(url)).GET().build(),
              HttpResponse.BodyHandlers.ofFile(part));
      if (r.statusCode() != 200) {
        String body = Files.size(part) < 65_536 ? Files.readString(part) : "";
        throw failure(r.statusCode(), body, "download " + url);
      }
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /** Any JSON route: {@code body} null for GET and DELETE. */
  JsonNode call(String method, String path, ObjectNode body) throws InterruptedException {
    var b =
        HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key);
    b =
        body == null
            ? b.method(method, HttpRequest.BodyPublishers.noBody())
            : b.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    HttpResponse<String> r = send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) throw failure(r.statusCode(), r.body(), method + " " + path);
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw CliException.failed(
          base
              + " answered "
              + method
              + " "
              + path
              + " with no JSON (is --server a tween server?)");
    }
  }

  /** Sends, turning a connection that cannot be made into the URL and what to check. */
  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws InterruptedException {
    try {
      return http.send(request, handler);
    } catch (HttpConnectTimeoutException e) {
      throw unreachable(request, "no answer within " + CONNECT.toSeconds() + " s", e);
    } catch (ConnectException e) {
      throw unreachable(
          request, causedBy(e, UnresolvedAddressException.class) ? "unknown host" : why(e), e);
    } catch (HttpTimeoutException e) {
      throw CliException.failed(request.uri().getHost() + " did not answer in time", e);
    } catch (IOException e) {
      if (causedBy(e, UnresolvedAddressException.class))
        throw unreachable(request, "unknown host", e);
      throw CliException.failed(
          "lost the connection to " + origin(request) + " (" + why(e) + ")", e);
    }
  }

  private static CliException unreachable(HttpRequest request, String why, Exception e) {
    return CliException.failed(
        "cannot reach "
            + origin(request)
            + " ("
            + why
            + "); is the server running? (--server, $TWEEN_SERVER)",
        e);
  }

  private static String origin(HttpRequest request) {
    URI u = request.uri();
    return u.getScheme() + "://" + u.getRawAuthority();
  }

  /** The innermost message, lower-cased the way the OS says it ("connection refused"). */
  private static String why(Throwable e) {
    String msg = null;
    for (Throwable t = e; t != null; t = t.getCause())
      if (t.getMessage() != null && !t.getMessage().isBlank()) msg = t.getMessage();
    if (msg == null) return e instanceof ConnectException ? "connection refused" : e.toString();
    return msg.toLowerCase(java.util.Locale.ROOT);
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) if (type.isInstance(t)) return true;
    return false;
  }

  /**
   * A non-2xx answer in one line: a bad request is its message alone (it names the field and the
   * rule); anything else its status and message; a refused key also where to set it.
   */
  private CliException failure(int status, String body, String what) {
    JsonNode error;
    try {
      error = JSON.readTree(body);
    } catch (IOException e) {
      error = null;
    }
    if (error == null || !error.isObject() || !error.hasNonNull("message")) {
      return CliException.failed(
          base + " answered " + what + " with HTTP " + status + " (is --server a tween server?)");
    }
    String code = error.path("code").asText();
    String message = error.get("message").asText();
    if (status == 400 && code.equals("INVALID_REQUEST_BODY")) return CliException.failed(message);
    if (status == 401) return CliException.failed("401 " + message + " (" + keyHint + ")");
    return CliException.failed(status + " " + message);
  }

  static ObjectNode newBody() {
    return JSON.createObjectNode();
  }
}
