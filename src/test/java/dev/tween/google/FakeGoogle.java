package dev.tween.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Google that speaks the wire formats google-genai 2.x uses:
 *
 * <ul>
 *   <li>an OAuth token endpoint that verifies the RS256-signed JWT assertion of a service account
 *       ({@link #serviceAccountJson}) and issues the Bearer token the Vertex endpoints require;
 *   <li>Vertex AI: {@code POST …/publishers/google/models/{model}:predictLongRunning} and {@code
 *       POST …:fetchPredictOperation}, samples inline as base64;
 *   <li>Gemini API Interactions: {@code POST /v1beta/interactions}, {@code GET
 *       /v1beta/interactions/{id}} (key in {@code x-goog-api-key}) and the download URIs of videos
 *       delivered by URI.
 * </ul>
 */
public final class FakeGoogle implements AutoCloseable {
  public static final String GEMINI_KEY = "fake-gemini-key";
  static final String EMAIL = "tween-test@fake-project.iam.gserviceaccount.com";
  private static final ObjectMapper JSON = new ObjectMapper();

  final HttpServer server;
  final KeyPair serviceAccount;
  final String token = "ya29.fake-" + Long.toHexString(System.nanoTime());
  public final List<JsonNode> submits = new CopyOnWriteArrayList<>();
  public final AtomicInteger tokens = new AtomicInteger();
  public final AtomicInteger polls = new AtomicInteger();
  public final AtomicInteger downloads = new AtomicInteger();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  public volatile int rejectSubmitsWith429;
  public volatile int rejectPollsWith429;
  public volatile int pollsBeforeDone = 2;
  public volatile boolean hangPolls;
  volatile byte[] video;

  /**
   * Vertex: when 0 or more, an operation is done this many milliseconds after its create (instead
   * of after {@link #pollsBeforeDone} polls), and only then stops counting against its quota.
   */
  public volatile long operationMillis = -1;

  /** Vertex quotas per "project/location": concurrent operations and creates per rolling minute. */
  private final Map<String, int[]> quotas = new java.util.concurrent.ConcurrentHashMap<>();

  /** Vertex locations that answer 503 to everything. */
  public final java.util.Set<String> down = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Vertex operations by name, with what the quota needs to know of them. */
  private final Map<String, VertexOp> operations = new java.util.concurrent.ConcurrentHashMap<>();

  /** Per "project/location": accepted creates, creates answered 429, most operations at once. */
  public final Map<String, AtomicInteger> accepted = new java.util.concurrent.ConcurrentHashMap<>();

  public final Map<String, AtomicInteger> throttled =
      new java.util.concurrent.ConcurrentHashMap<>();
  public final Map<String, AtomicInteger> peak = new java.util.concurrent.ConcurrentHashMap<>();

  /** Vertex creates per prompt text (tests and benches give each task its own prompt). */
  public final Map<String, AtomicInteger> createsByPrompt =
      new java.util.concurrent.ConcurrentHashMap<>();

  private record VertexOp(
      String where, long createdNanos, java.util.concurrent.atomic.AtomicBoolean seenDone) {
    boolean running(long operationMillis, long now) {
      return operationMillis >= 0
          ? now - createdNanos < operationMillis * 1_000_000
          : !seenDone.get();
    }
  }

  /**
   * Veo: the finished operation's {@code response} or {@code error} part (see {@link #veoVideos},
   * {@link #error}).
   */
  public volatile String veoOutcome;

  /**
   * Omni: per created interaction (by order), what it ends as (see {@link #omniVideo} and friends);
   * the last repeats.
   */
  public final List<String> omniOutcomes = new CopyOnWriteArrayList<>();

  private final Map<String, Integer> interactionIndex = new HashMap<>();

  public FakeGoogle(byte[] video) throws Exception {
    this.video = video;
    var gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    serviceAccount = gen.generateKeyPair();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
    veoOutcome = veoVideos(1, 0);
    omniOutcomes.add(omniVideo(false));
  }

  /**
   * Enforces Google's per-project, per-region quotas on Vertex creates: at most {@code concurrent}
   * operations running and {@code perMinute} creates in any rolling minute; beyond them, 429
   * RESOURCE_EXHAUSTED.
   */
  public void quota(String project, String location, int concurrent, int perMinute) {
    quotas.put(project + "/" + location, new int[] {concurrent, perMinute});
  }

  /** The most operations running at once in one project and location. */
  public int peak(String project, String location) {
    return peak.getOrDefault(project + "/" + location, new AtomicInteger()).get();
  }

  /** Operations running now, over every project and location. */
  public int running() {
    long now = System.nanoTime();
    return (int) operations.values().stream().filter(o -> o.running(operationMillis, now)).count();
  }

  /** A real one-second 64×36 MP4 made by the engine, with or without a sound track. */
  public static byte[] clip(Path dir, boolean audio) throws Exception {
    Path f = dir.resolve(audio ? "clip-audio.mp4" : "clip.mp4");
    var img = dev.tween.testing.Images.scene(64, 36, 0);
    new dev.tween.engine.TweenEngine()
        .render(
            img,
            img,
            new dev.tween.engine.TweenEngine.Clip(64, 36, 24, 1, audio),
            List.of(f),
            p -> {},
            () -> false);
    return Files.readAllBytes(f);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * A service-account key file whose token_uri is this fake; the private key is the fake's test
   * key.
   */
  public Path serviceAccountJson(Path dir) throws IOException {
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(serviceAccount.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    var sa = new java.util.LinkedHashMap<String, String>();
    sa.put("type", "service_account");
    sa.put("project_id", "fake-project");
    sa.put("private_key_id", "test-key-1");
    sa.put("private_key", pem);
    sa.put("client_email", EMAIL);
    sa.put("client_id", "1234567890");
    sa.put("token_uri", baseUrl() + "/token");
    Path f = dir.resolve("service-account.json");
    Files.writeString(f, JSON.writeValueAsString(sa));
    return f;
  }

  public static String veoVideos(int n, int filtered, String... reasons) {
    var samples = new StringBuilder();
    for (int i = 0; i < n; i++)
      samples
          .append(i > 0 ? "," : "")
          .append("{\"bytesBase64Encoded\":\"%VIDEO%\",\"mimeType\":\"video/mp4\"}");
    String rs =
        reasons.length == 0
            ? ""
            : ",\"raiMediaFilteredReasons\":[\"" + String.join("\",\"", reasons) + "\"]";
    return "\"response\":{\"@type\":\"type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse\","
        + "\"raiMediaFilteredCount\":"
        + filtered
        + rs
        + ",\"videos\":["
        + samples
        + "]}";
  }

  public static String error(int code, String message) {
    return "\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\"}";
  }

  /** A completed interaction with its video inline, or behind a download URI. */
  public static String omniVideo(boolean byUri) {
    return "\"status\":\"completed\",\"steps\":[{\"type\":\"model_output\",\"content\":[{\"type\":\"video\",\"mime_type\":\"video/mp4\","
        + (byUri
            ? "\"uri\":\"%BASE%/v1beta/files/%ID%:download?alt=media\""
            : "\"data\":\"%VIDEO%\"")
        + "}]}]";
  }

  /** A safety refusal: the interaction completes with text and no video. */
  public static String omniRefusal(String text) {
    return "\"status\":\"completed\",\"steps\":[{\"type\":\"model_output\",\"content\":[{\"type\":\"text\",\"text\":\""
        + text
        + "\"}]}]";
  }

  public static String omniFailed(String message) {
    return "\"status\":\"failed\",\"errors\":[{\"code\":\"INVALID_ARGUMENT\",\"message\":\""
        + message
        + "\"}]";
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    try {
      if (path.equals("/token")) {
        token(ex);
      } else if (path.startsWith("/v1beta/interactions") || path.startsWith("/v1beta/files/")) {
        if (!GEMINI_KEY.equals(ex.getRequestHeaders().getFirst("x-goog-api-key"))) {
          send(
              ex,
              400,
              "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key.\",\"status\":\"INVALID_ARGUMENT\"}}");
        } else if (path.startsWith("/v1beta/files/")) {
          downloads.incrementAndGet();
          ex.getResponseHeaders().add("Content-Type", "video/mp4");
          ex.sendResponseHeaders(200, video.length);
          ex.getResponseBody().write(video);
          ex.close();
        } else if (method.equals("POST")) {
          createInteraction(ex);
        } else {
          getInteraction(ex, path.substring("/v1beta/interactions/".length()));
        }
      } else if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        send(
            ex,
            401,
            "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication credentials.\",\"status\":\"UNAUTHENTICATED\"}}");
      } else if (method.equals("POST") && path.endsWith(":predictLongRunning")) {
        JsonNode body = JSON.readTree(ex.getRequestBody());
        String where = where(path);
        if (unavailable(ex, where)) return;
        if (submitRateLimited(
            ex, "Quota exceeded for aiplatform.googleapis.com/online_prediction_requests")) return;
        String name = admit(where, path, body);
        if (name == null) {
          throttled.computeIfAbsent(where, k -> new AtomicInteger()).incrementAndGet();
          ex.getResponseHeaders().add("Retry-After", "2");
          send(
              ex,
              429,
              "{\"error\":{\"code\":429,\"message\":\"Quota exceeded for"
                  + " aiplatform.googleapis.com/online_prediction_requests_per_base_model with base"
                  + " model: veo-3.1-lite. Please submit a quota increase request.\",\"status\":\"RESOURCE_EXHAUSTED\"}}");
          return;
        }
        send(ex, 200, "{\"name\":\"" + name + "\"}");
      } else if (method.equals("POST") && path.endsWith(":fetchPredictOperation")) {
        if (unavailable(ex, where(path))) return;
        String name = JSON.readTree(ex.getRequestBody()).path("operationName").asText();
        int n = polls.incrementAndGet();
        VertexOp op = operations.get(name);
        if (op == null) {
          send(
              ex,
              404,
              "{\"error\":{\"code\":404,\"message\":\"Operation "
                  + name
                  + " not found\",\"status\":\"NOT_FOUND\"}}");
          return;
        }
        boolean done =
            operationMillis >= 0
                ? !op.running(operationMillis, System.nanoTime())
                : !hangPolls && n > pollsBeforeDone;
        if (!done || hangPolls) {
          send(ex, 200, "{\"name\":\"" + name + "\",\"done\":false}");
          return;
        }
        if (op.seenDone().compareAndSet(false, true)) inFlight.decrementAndGet();
        send(ex, 200, "{\"name\":\"" + name + "\",\"done\":true," + fill(veoOutcome, name) + "}");
      } else {
        send(
            ex,
            404,
            "{\"error\":{\"code\":404,\"message\":\"no route " + method + " " + path + "\"}}");
      }
    } catch (RuntimeException e) {
      send(ex, 500, "{\"error\":{\"code\":500,\"message\":\"fake failed: " + e + "\"}}");
    }
  }

  /** "project/location" of a Vertex path {@code /v1beta1/projects/P/locations/L/…}. */
  private static String where(String path) {
    String[] parts = path.split("/");
    String project = "", location = "";
    for (int i = 0; i + 1 < parts.length; i++) {
      if (parts[i].equals("projects")) project = parts[i + 1];
      if (parts[i].equals("locations")) location = parts[i + 1];
    }
    return project + "/" + location;
  }

  private boolean unavailable(HttpExchange ex, String where) throws IOException {
    if (!down.contains(where.substring(where.indexOf('/') + 1))) return false;
    send(
        ex,
        503,
        "{\"error\":{\"code\":503,\"message\":\"The service is currently unavailable.\",\"status\":\"UNAVAILABLE\"}}");
    return true;
  }

  /**
   * Starts an operation unless the project and location are over their quota; returns its name, or
   * null for a 429.
   */
  private synchronized String admit(String where, String path, JsonNode body) {
    long now = System.nanoTime();
    int[] q = quotas.get(where);
    long running =
        operations.values().stream()
            .filter(o -> o.where().equals(where) && o.running(operationMillis, now))
            .count();
    if (q != null) {
      long lastMinute =
          operations.values().stream()
              .filter(o -> o.where().equals(where) && now - o.createdNanos() < 60_000_000_000L)
              .count();
      if (running >= q[0] || lastMinute >= q[1]) return null;
    }
    submits.add(body);
    createsByPrompt
        .computeIfAbsent(body.at("/instances/0/prompt").asText(), k -> new AtomicInteger())
        .incrementAndGet();
    accepted.computeIfAbsent(where, k -> new AtomicInteger()).incrementAndGet();
    peak.computeIfAbsent(where, k -> new AtomicInteger())
        .accumulateAndGet((int) running + 1, Math::max);
    inFlight.accumulateAndGet(1, Integer::sum);
    maxInFlight.accumulateAndGet(inFlight.get(), Math::max);
    String model = path.substring(path.indexOf("/projects/") + 1, path.indexOf(':'));
    String name = model + "/operations/op-" + submits.size();
    operations.put(name, new VertexOp(where, now, new java.util.concurrent.atomic.AtomicBoolean()));
    return name;
  }

  /** Answers 429 RESOURCE_EXHAUSTED while {@link #rejectSubmitsWith429} lasts. */
  private synchronized boolean submitRateLimited(HttpExchange ex, String message)
      throws IOException {
    if (rejectSubmitsWith429 <= 0) return false;
    rejectSubmitsWith429--;
    ex.getResponseHeaders().add("Retry-After", "1");
    send(
        ex,
        429,
        "{\"error\":{\"code\":429,\"message\":\""
            + message
            + "\",\"status\":\"RESOURCE_EXHAUSTED\"}}");
    return true;
  }

  private String fill(String template, String id) {
    return template
        .replace("%VIDEO%", Base64.getEncoder().encodeToString(video))
        .replace("%BASE%", baseUrl())
        .replace("%ID%", id);
  }

  private synchronized void createInteraction(HttpExchange ex) throws IOException {
    JsonNode body = JSON.readTree(ex.getRequestBody());
    if (submitRateLimited(ex, "Resource has been exhausted (e.g. check quota).")) return;
    submits.add(body);
    String id = "v1_interaction-" + submits.size();
    interactionIndex.put(id, submits.size() - 1);
    send(
        ex,
        200,
        "{\"id\":\""
            + id
            + "\",\"object\":\"interaction\",\"status\":\"in_progress\",\"model\":\""
            + body.path("model").asText()
            + "\"}");
  }

  private void getInteraction(HttpExchange ex, String id) throws IOException {
    Integer index;
    synchronized (this) {
      index = interactionIndex.get(id);
    }
    if (index == null) {
      send(
          ex,
          404,
          "{\"error\":{\"code\":404,\"message\":\"Interaction "
              + id
              + " not found\",\"status\":\"NOT_FOUND\"}}");
      return;
    }
    if (rejectPollsWith429 > 0) {
      rejectPollsWith429--;
      send(
          ex,
          429,
          "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\",\"status\":\"RESOURCE_EXHAUSTED\"}}");
      return;
    }
    int n = polls.incrementAndGet();
    if (hangPolls || n <= pollsBeforeDone) {
      send(
          ex, 200, "{\"id\":\"" + id + "\",\"object\":\"interaction\",\"status\":\"in_progress\"}");
      return;
    }
    String outcome = omniOutcomes.get(Math.min(index, omniOutcomes.size() - 1));
    send(ex, 200, "{\"id\":\"" + id + "\",\"object\":\"interaction\"," + fill(outcome, id) + "}");
  }

  /**
   * RFC 7523 JWT bearer grant: the assertion must be signed by the service account's key, for this
   * endpoint.
   */
  private void token(HttpExchange ex) throws IOException {
    Map<String, String> form = new HashMap<>();
    for (String kv :
        new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0)
        form.put(
            kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
    }
    String problem = verifyAssertion(form);
    if (problem != null) System.err.println("fake token endpoint refused: " + problem);
    if (problem != null) {
      send(ex, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"" + problem + "\"}");
      return;
    }
    tokens.incrementAndGet();
    send(
        ex,
        200,
        "{\"access_token\":\"" + token + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
  }

  private String verifyAssertion(Map<String, String> form) {
    if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type")))
      return "grant_type " + form.get("grant_type");
    String[] parts = form.getOrDefault("assertion", "").split("\\.");
    if (parts.length != 3) return "assertion is not a JWT";
    try {
      var d = Base64.getUrlDecoder();
      JsonNode header = JSON.readTree(d.decode(parts[0]));
      JsonNode claims = JSON.readTree(d.decode(parts[1]));
      if (!header.path("alg").asText().equals("RS256")) return "alg " + header.path("alg");
      var rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(serviceAccount.getPublic());
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!rsa.verify(d.decode(parts[2]))) return "Invalid JWT Signature.";
      if (!claims.path("iss").asText().equals(EMAIL)) return "iss " + claims.path("iss");
      // google-auth signs for Google's token audience whatever token_uri says; Google checks
      // exactly that.
      if (!claims.path("aud").asText().equals("https://oauth2.googleapis.com/token"))
        return "aud " + claims.path("aud");
      if (!claims.path("scope").asText().contains("https://www.googleapis.com/auth/cloud-platform"))
        return "scope " + claims.path("scope");
      long now = System.currentTimeMillis() / 1000;
      if (claims.path("exp").asLong() < now || claims.path("iat").asLong() > now + 60)
        return "expired or future JWT";
      return null;
    } catch (Exception e) {
      return "unreadable assertion: " + e.getMessage();
    }
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
