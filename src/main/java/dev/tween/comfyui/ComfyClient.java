package dev.tween.comfyui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tween.gateway.UpstreamException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The routes of one ComfyUI server ({@code server.py}), each failure already sorted into the kind
 * the gateway acts on: unreachable or 5xx is {@link UpstreamException.Unavailable}, a workflow it
 * will not run is {@link UpstreamException.Rejected}, and a {@code POST /prompt} whose answer never
 * came is {@link UpstreamException.Ambiguous}.
 */
final class ComfyClient {
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final long MAX_JSON = 64L << 20;
  private static final long MAX_VIDEO = 4L << 30;

  private final OkHttpClient http;
  private final OkHttpClient once;
  private final HttpUrl base;

  /**
   * @param http for requests that may be repeated: on a pooled connection the server had closed
   *     (ComfyUI restarted) OkHttp retries them on a fresh one
   */
  ComfyClient(OkHttpClient http, HttpUrl base) {
    this.http = http;
    // A POST /prompt repeated on a broken connection would queue the prompt twice, and one sent on
    // a
    // pooled connection the server had closed would fail after it left: so one fresh connection
    // each, never retried.
    this.once =
        http.newBuilder()
            .retryOnConnectionFailure(false)
            .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
            .build();
    this.base = base;
  }

  HttpUrl base() {
    return base;
  }

  /** What {@code GET /queue} holds: the prompt running and those waiting. */
  record Queue(Set<String> running, Set<String> pending) {
    boolean holds(String id) {
      return running.contains(id) || pending.contains(id);
    }
  }

  /** A file a node saved, as {@code /history} names it and {@code /view} serves it. */
  record OutputFile(String filename, String subfolder, String type) {}

  /**
   * {@code POST /upload/image}: stores a frame in ComfyUI's input folder and returns the value a
   * {@code LoadImage} node takes. ComfyUI keeps one copy of identical bytes under one name.
   */
  String upload(byte[] bytes, String filename, String mimeType) throws UpstreamException {
    var body =
        new MultipartBody.Builder()
            .setType(MultipartBody.FORM)
            .addFormDataPart("image", filename, RequestBody.create(bytes, MediaType.get(mimeType)))
            .addFormDataPart("type", "input")
            .build();
    JsonNode r = json(post("upload/image", body), "POST /upload/image");
    String name = r.path("name").asText("");
    if (name.isEmpty()) throw rejected("POST /upload/image answered without a name: " + r);
    String sub = r.path("subfolder").asText("");
    return sub.isEmpty() ? name : sub + "/" + name;
  }

  /**
   * {@code POST /prompt} with the id tween chose. A workflow ComfyUI will not run is answered 400
   * with {@code node_errors}; a 200 may still name nodes it left out, returned here.
   */
  JsonNode prompt(ObjectNode prompt, String promptId, String clientId) throws UpstreamException {
    ObjectNode body = Workflow.JSON.createObjectNode();
    body.set("prompt", prompt);
    body.put("prompt_id", promptId);
    body.put("client_id", clientId);
    Request req =
        new Request.Builder()
            .url(url("prompt"))
            .post(RequestBody.create(body.toString(), JSON_TYPE))
            .build();
    var sent = new AtomicBoolean();
    Call call =
        once.newBuilder()
            .eventListener(
                new EventListener() {
                  @Override
                  public void requestHeadersStart(Call c) {
                    sent.set(true);
                  }
                })
            .build()
            .newCall(req);
    Response r;
    try {
      r = call.execute();
    } catch (IOException e) {
      if (!sent.get()) throw unavailable("POST /prompt", e);
      throw new UpstreamException.Ambiguous(
          "ComfyUI at "
              + base
              + " did not answer POST /prompt for "
              + promptId
              + " ("
              + e.getMessage()
              + "); it may have queued it",
          e);
    }
    try (r) {
      if (r.code() == 400) {
        JsonNode answer = readJson(r, "POST /prompt");
        throw new UpstreamException.Rejected(ComfyErrors.rejected(answer), null);
      }
      return json(r, "POST /prompt").path("node_errors");
    }
  }

  Queue queue() throws UpstreamException {
    JsonNode q = json(get("queue"), "GET /queue");
    return new Queue(ids(q.path("queue_running")), ids(q.path("queue_pending")));
  }

  /** Queue items are {@code [number, prompt_id, prompt, extra_data, outputs_to_execute]}. */
  private static Set<String> ids(JsonNode items) {
    Set<String> ids = new HashSet<>();
    for (JsonNode item : items) ids.add(item.path(1).asText());
    return ids;
  }

  /** {@code GET /history/{prompt_id}}: the entry of a prompt that ran, empty while it has not. */
  Optional<JsonNode> history(String promptId) throws UpstreamException {
    HttpUrl url = base.newBuilder().addPathSegment("history").addPathSegment(promptId).build();
    JsonNode h = json(call(new Request.Builder().url(url).build()), "GET /history");
    return Optional.ofNullable(h.get(promptId));
  }

  /** {@code POST /queue {"delete": [id]}}: drops a prompt still waiting; nothing otherwise. */
  void delete(String promptId) throws UpstreamException {
    ObjectNode body = Workflow.JSON.createObjectNode();
    body.putArray("delete").add(promptId);
    drain(post("queue", RequestBody.create(body.toString(), JSON_TYPE)), "POST /queue");
  }

  /** {@code POST /interrupt {"prompt_id": id}}: stops that prompt only if it is the one running. */
  void interrupt(String promptId) throws UpstreamException {
    ObjectNode body = Workflow.JSON.createObjectNode().put("prompt_id", promptId);
    drain(post("interrupt", RequestBody.create(body.toString(), JSON_TYPE)), "POST /interrupt");
  }

  /** {@code GET /view}: streams an output file to {@code target}. */
  void download(OutputFile file, Path target) throws UpstreamException {
    HttpUrl url =
        url("view")
            .newBuilder()
            .addQueryParameter("filename", file.filename())
            .addQueryParameter("subfolder", file.subfolder())
            .addQueryParameter("type", file.type())
            .build();
    try (Response r = call(new Request.Builder().url(url).build())) {
      check(r, "GET /view of " + file.filename());
      try (InputStream in = r.body().byteStream();
          OutputStream out = Files.newOutputStream(target)) {
        copy(in, out, file.filename());
      }
    } catch (IOException e) {
      throw new UpstreamException.Unavailable(
          "writing " + file.filename() + " from ComfyUI to " + target + " failed: " + e, e);
    }
  }

  private void copy(InputStream in, OutputStream out, String name)
      throws IOException, UpstreamException {
    byte[] buf = new byte[1 << 16];
    long total = 0;
    while (true) {
      int n;
      try {
        n = in.read(buf);
      } catch (IOException e) {
        throw unavailable("GET /view of " + name, e);
      }
      if (n < 0) return;
      total += n;
      if (total > MAX_VIDEO) throw rejected(name + " is larger than " + (MAX_VIDEO >> 30) + " GiB");
      out.write(buf, 0, n);
    }
  }

  private Response get(String path) throws UpstreamException {
    return call(new Request.Builder().url(url(path)).build());
  }

  private Response post(String path, RequestBody body) throws UpstreamException {
    return call(new Request.Builder().url(url(path)).post(body).build());
  }

  private HttpUrl url(String path) {
    return base.newBuilder().addPathSegments(path).build();
  }

  private Response call(Request req) throws UpstreamException {
    try {
      return http.newCall(req).execute();
    } catch (IOException e) {
      throw unavailable(req.method() + " " + req.url().encodedPath(), e);
    }
  }

  private JsonNode json(Response r, String what) throws UpstreamException {
    try (r) {
      check(r, what);
      return readJson(r, what);
    }
  }

  private void drain(Response r, String what) throws UpstreamException {
    try (r) {
      check(r, what);
    }
  }

  private JsonNode readJson(Response r, String what) throws UpstreamException {
    try (InputStream in = r.body().byteStream()) {
      byte[] bytes = in.readNBytes((int) MAX_JSON + 1);
      if (bytes.length > MAX_JSON) throw rejected(what + " answered more than 64 MiB of JSON");
      JsonNode n = Workflow.JSON.readTree(bytes);
      if (n == null || !n.isObject())
        throw rejected(what + " answered HTTP " + r.code() + " without a JSON object");
      return n;
    } catch (IOException e) {
      throw unavailable(what, e);
    }
  }

  private void check(Response r, String what) throws UpstreamException {
    if (r.isSuccessful()) return;
    String body = snippet(r);
    if (r.code() == 429) {
      throw new UpstreamException.Throttled(
          "ComfyUI at " + base + " answered 429 to " + what + body, retryAfter(r), null);
    }
    if (r.code() >= 500 || r.code() == 408) {
      throw new UpstreamException.Unavailable(
          "ComfyUI at " + base + " answered HTTP " + r.code() + " to " + what + body, null);
    }
    throw rejected(
        "ComfyUI at "
            + base
            + " answered HTTP "
            + r.code()
            + " to "
            + what
            + body
            + (r.code() == 404 ? " (is base_url a ComfyUI server?)" : ""));
  }

  private static String snippet(Response r) {
    try {
      String s = r.peekBody(300).string().strip();
      return s.isEmpty() ? "" : ": " + s.replaceAll("\\s+", " ");
    } catch (IOException e) {
      return "";
    }
  }

  private static Duration retryAfter(Response r) {
    try {
      return Duration.ofSeconds(Math.max(1, Long.parseLong(r.header("Retry-After", "30").strip())));
    } catch (NumberFormatException e) {
      return Duration.ofSeconds(30);
    }
  }

  private UpstreamException.Unavailable unavailable(String what, IOException e) {
    return new UpstreamException.Unavailable(
        "ComfyUI at " + base + " does not answer " + what + ": " + e, e);
  }

  private static UpstreamException.Rejected rejected(String message) {
    return new UpstreamException.Rejected(message, null);
  }
}
