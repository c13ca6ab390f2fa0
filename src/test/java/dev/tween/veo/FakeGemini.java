package dev.tween.veo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the Gemini API that speaks its wire format as the google-genai SDK sends it:
 * {@code POST /v1beta/models/{model}:predictLongRunning} (key in {@code x-goog-api-key}),
 * {@code GET /v1beta/{operation}}, and the sample download URIs it hands out.
 */
final class FakeGemini implements AutoCloseable {
  static final String KEY = "fake-gemini-key";
  private static final ObjectMapper JSON = new ObjectMapper();

  final HttpServer server;
  final List<JsonNode> submits = new CopyOnWriteArrayList<>();
  final AtomicInteger polls = new AtomicInteger();
  final AtomicInteger downloads = new AtomicInteger();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  volatile int rejectSubmitsWith429 = 0;
  volatile int pollsBeforeDone = 2;
  /** The {@code response} or {@code error} body of a finished operation; %s is replaced by the base URL. */
  volatile String outcome;
  volatile byte[] video;
  volatile boolean hangPolls;

  FakeGemini(byte[] video) throws IOException {
    this.video = video;
    this.outcome = videos(2, 0);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  static String videos(int n, int filtered, String... reasons) {
    var samples = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) samples.append(',');
      samples.append("{\"video\":{\"uri\":\"%1$s/v1beta/files/sample-").append(i).append(":download?alt=media\"}}");
    }
    String rs = reasons.length == 0 ? "" : ",\"raiMediaFilteredReasons\":[\"" + String.join("\",\"", reasons) + "\"]";
    return "{\"response\":{\"@type\":\"type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse\","
        + "\"generateVideoResponse\":{\"generatedSamples\":[" + samples + "]"
        + (filtered > 0 ? ",\"raiMediaFilteredCount\":" + filtered : "") + rs + "}}}";
  }

  static String error(int code, String message) {
    return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\"}}";
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    try {
      if (!KEY.equals(ex.getRequestHeaders().getFirst("x-goog-api-key"))) {
        send(ex, 400, "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key.\",\"status\":\"INVALID_ARGUMENT\"}}");
        return;
      }
      if (ex.getRequestMethod().equals("POST") && path.endsWith(":fetchPredictOperation")) {
        vertexPoll(ex, JSON.readTree(ex.getRequestBody()).path("operationName").asText());
      } else if (ex.getRequestMethod().equals("POST") && path.endsWith(":predictLongRunning")) {
        JsonNode body = JSON.readTree(ex.getRequestBody());
        if (rejectSubmitsWith429 > 0) {
          rejectSubmitsWith429--;
          send(ex, 429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\",\"status\":\"RESOURCE_EXHAUSTED\"}}");
          return;
        }
        submits.add(body);
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        String model = path.substring(path.indexOf('/', 1) + 1, path.indexOf(':'));
        send(ex, 200, "{\"name\":\"" + model + "/operations/op-" + submits.size() + "\"}");
      } else if (ex.getRequestMethod().equals("GET") && path.contains("/operations/")) {
        int n = polls.incrementAndGet();
        String name = path.substring("/v1beta/".length());
        if (hangPolls || n <= pollsBeforeDone) {
          send(ex, 200, "{\"name\":\"" + name + "\",\"done\":false}");
          return;
        }
        inFlight.decrementAndGet();
        String result = outcome.replace("%1$s", baseUrl());
        send(ex, 200, "{\"name\":\"" + name + "\",\"done\":true," + result.substring(1));
      } else if (ex.getRequestMethod().equals("GET") && path.contains(":download")) {
        downloads.incrementAndGet();
        ex.getResponseHeaders().add("Content-Type", "video/mp4");
        ex.sendResponseHeaders(200, video.length);
        ex.getResponseBody().write(video);
        ex.close();
      } else {
        send(ex, 404, "{\"error\":{\"code\":404,\"message\":\"no route " + path + "\"}}");
      }
    } catch (RuntimeException e) {
      send(ex, 500, "{\"error\":{\"code\":500,\"message\":\"fake failed: " + e + "\"}}");
    }
  }

  /** Vertex AI polls with POST {model}:fetchPredictOperation; finished samples come back inline. */
  private void vertexPoll(HttpExchange ex, String name) throws IOException {
    int n = polls.incrementAndGet();
    if (hangPolls || n <= pollsBeforeDone) {
      send(ex, 200, "{\"name\":\"" + name + "\",\"done\":false}");
      return;
    }
    inFlight.decrementAndGet();
    String b64 = java.util.Base64.getEncoder().encodeToString(video);
    send(ex, 200, "{\"name\":\"" + name + "\",\"done\":true,\"response\":{\"@type\":"
        + "\"type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse\",\"raiMediaFilteredCount\":0,"
        + "\"videos\":[{\"bytesBase64Encoded\":\"" + b64 + "\",\"mimeType\":\"video/mp4\"}]}}");
  }

  private static void send(HttpExchange ex, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
    ex.sendResponseHeaders(code, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
