package dev.tween.comfyui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * A local ComfyUI server speaking the JSON of ComfyUI's {@code server.py} and {@code execution.py}
 * (Comfy-Org/ComfyUI a125cd84, 2025-10-12): {@code POST /upload/image} (multipart), {@code POST
 * /prompt} (client-chosen {@code prompt_id}, 400 with {@code node_errors}), {@code GET /queue},
 * {@code POST /queue {"delete"}}, {@code POST /interrupt {"prompt_id"}}, {@code GET /history/{id}},
 * {@code GET /view} and {@code /ws?clientId=} with {@code progress} messages sent to the prompt's
 * client only.
 *
 * <p>It runs one prompt at a time, "executing" the Wan first-last-frame graph by its meaning: the
 * samplers report their steps, and the video is a real H.264 MP4 rendered by ffmpeg with the size
 * and length of {@code WanFirstLastFrameToVideo}, the fps of {@code CreateVideo}, fading from the
 * start image's {@code LoadImage} file to the end image's. It checks what tween filled in and
 * records each break of the contract in {@link #problems}.
 */
public final class FakeComfyUi implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** What one accepted prompt held, read the way the nodes would read it. */
  public record Seen(
      String promptId,
      String clientId,
      String positive,
      String negative,
      long seed,
      int width,
      int height,
      int frames,
      double fps,
      BufferedImage first,
      BufferedImage last) {}

  /** How the workflow's video comes back: core SaveVideo (images + animated) or VHS (gifs). */
  public enum Output {
    MP4,
    WEBM
  }

  final Path input;
  final Path output;
  private final Object lock = new Object();
  private final Deque<Item> pending = new ArrayDeque<>();
  private final Map<String, ObjectNode> history = new LinkedHashMap<>();
  private final Map<String, WsContext> sockets = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> promptCalls = new ConcurrentHashMap<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final AtomicInteger maxOutstanding = new AtomicInteger();
  private final AtomicInteger interrupts = new AtomicInteger();
  private final Thread worker;
  private Item running;
  private int number;
  private int generation;
  private int counter;
  private boolean held;
  private int holdAfter;
  private boolean closed;
  private volatile Javalin app;
  private volatile int port;
  private volatile byte[] expectedFirst;
  private volatile byte[] expectedLast;
  private volatile String nodeError;
  private volatile String[] executionError;
  volatile Output format = Output.MP4;
  volatile long stepMillis = 2;

  record Item(
      int number,
      String id,
      ObjectNode prompt,
      ObjectNode extra,
      List<String> outputs,
      int generation) {}

  public FakeComfyUi(Path dir) throws IOException {
    input = Files.createDirectories(dir.resolve("input"));
    output = Files.createDirectories(dir.resolve("output"));
    worker = Thread.ofPlatform().daemon().name("fake-comfyui").start(this::work);
    comeBack();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port + "/";
  }

  // ---- what tests set and read ----

  /** The frames tween was given; every prompt's start and end {@code LoadImage} must hold them. */
  public void expectFrames(byte[] first, byte[] last) {
    expectedFirst = first;
    expectedLast = last;
  }

  /** The next {@code POST /prompt} is refused with a node error on {@code nodeId}. */
  public void failNextWithNodeError(String nodeId) {
    nodeError = nodeId;
  }

  /** The next prompt to run fails at {@code nodeId} with this exception. */
  public void failNextExecution(String nodeId, String exceptionType, String message) {
    executionError = new String[] {nodeId, exceptionType, message};
  }

  /** Prompts stop after their first sampling step until {@link #release}. */
  public void hold() {
    holdAfter(1);
  }

  /** Prompts stop after {@code steps} sampling steps (over all samplers) until {@link #release}. */
  public void holdAfter(int steps) {
    synchronized (lock) {
      held = true;
      holdAfter = steps;
    }
  }

  public void release() {
    synchronized (lock) {
      held = false;
      lock.notifyAll();
    }
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  public List<String> problems() {
    return List.copyOf(problems);
  }

  public int promptCalls(String promptId) {
    AtomicInteger n = promptCalls.get(promptId);
    return n == null ? 0 : n.get();
  }

  public int promptCalls() {
    return promptCalls.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Most prompts this server held at once (running + waiting). */
  public int maxOutstanding() {
    return maxOutstanding.get();
  }

  /** Clients connected to {@code /ws}. */
  public int sockets() {
    return sockets.size();
  }

  public int interrupts() {
    return interrupts.get();
  }

  public String running() {
    synchronized (lock) {
      return running == null ? null : running.id;
    }
  }

  public List<String> pending() {
    synchronized (lock) {
      return pending.stream().map(Item::id).toList();
    }
  }

  public boolean inHistory(String promptId) {
    synchronized (lock) {
      return history.containsKey(promptId);
    }
  }

  /** Stops answering (connection refused); prompts keep running as on a box whose network fell. */
  public void goAway() {
    Javalin a = app;
    app = null;
    if (a != null) a.stop();
  }

  public void comeBack() {
    Javalin a = Javalin.create(c -> routes(c));
    a.start("127.0.0.1", port);
    port = a.port();
    app = a;
  }

  /** Like a ComfyUI process restarted: the queue, the running prompt and the history are gone. */
  public void restart() {
    goAway();
    synchronized (lock) {
      generation++;
      pending.clear();
      running = null;
      history.clear();
      lock.notifyAll();
    }
    comeBack();
  }

  @Override
  public void close() {
    goAway();
    synchronized (lock) {
      closed = true;
      held = false;
      lock.notifyAll();
    }
  }

  // ---- routes ----

  private void routes(io.javalin.config.JavalinConfig c) {
    c.startup.showJavalinBanner = false;
    c.routes.post("/upload/image", this::upload);
    c.routes.post("/prompt", this::prompt);
    c.routes.get("/queue", this::queue);
    c.routes.post("/queue", this::queueDelete);
    c.routes.post("/interrupt", this::interrupt);
    c.routes.get("/history/{id}", this::history);
    c.routes.get("/view", this::view);
    c.routes.ws(
        "/ws",
        ws -> {
          ws.onConnect(
              ctx -> {
                String sid = ctx.queryParam("clientId");
                if (sid == null || sid.isEmpty())
                  sid = UUID.randomUUID().toString().replace("-", "");
                ctx.attribute("sid", sid);
                sockets.put(sid, ctx);
                ObjectNode data = JSON.createObjectNode();
                data.putObject("status")
                    .putObject("exec_info")
                    .put("queue_remaining", outstanding());
                data.put("sid", sid);
                send(sid, "status", data);
              });
          ws.onClose(ctx -> sockets.remove((String) ctx.attribute("sid"), ctx));
        });
  }

  /**
   * {@code image_upload}: same name and same bytes is one file; same name, other bytes "name (1)".
   */
  private void upload(Context ctx) throws Exception {
    var file = ctx.uploadedFile("image");
    if (file == null || file.filename().isEmpty()) {
      ctx.status(400);
      return;
    }
    byte[] bytes;
    try (InputStream in = file.content()) {
      bytes = in.readAllBytes();
    }
    String name = file.filename();
    String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    String ext = name.contains(".") ? name.substring(name.lastIndexOf('.')) : "";
    for (int i = 1; Files.exists(input.resolve(name)); i++) {
      if (Arrays.equals(sha(Files.readAllBytes(input.resolve(name))), sha(bytes))) break;
      name = stem + " (" + i + ")" + ext;
    }
    Files.write(input.resolve(name), bytes);
    String type = ctx.formParam("type") == null ? "input" : ctx.formParam("type");
    ctx.json(Map.of("name", name, "subfolder", "", "type", type));
  }

  private void prompt(Context ctx) throws Exception {
    ObjectNode body = (ObjectNode) JSON.readTree(ctx.body());
    String id =
        body.has("prompt_id") ? body.get("prompt_id").asText() : UUID.randomUUID().toString();
    promptCalls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    if (!(body.get("prompt") instanceof ObjectNode prompt)) {
      ObjectNode error = error("no_prompt", "No prompt provided", "No prompt provided");
      ObjectNode answer = JSON.createObjectNode();
      answer.set("error", error);
      answer.putObject("node_errors");
      ctx.status(400).json(answer);
      return;
    }
    FakeGraph g = new FakeGraph(prompt);
    ObjectNode refused = FakeValidation.validate(g, input, nodeError);
    nodeError = null;
    if (refused != null) {
      ctx.status(400).json(refused);
      return;
    }
    try {
      check(id, body.path("client_id").asText(null), g);
    } catch (RuntimeException e) {
      problems.add(id + ": the fake cannot read this graph: " + e);
    }
    ObjectNode extra = JSON.createObjectNode();
    if (body.has("client_id")) extra.put("client_id", body.get("client_id").asText());
    List<String> outputs = new ArrayList<>();
    for (String cls : FakeGraph.OUTPUTS) outputs.addAll(g.ids(cls));
    int n;
    synchronized (lock) {
      n = number++;
      pending.add(new Item(n, id, prompt, extra, outputs, generation));
      maxOutstanding.accumulateAndGet(outstanding(), Math::max);
      lock.notifyAll();
    }
    ObjectNode answer = JSON.createObjectNode().put("prompt_id", id).put("number", n);
    answer.putObject("node_errors");
    ctx.json(answer);
  }

  /** The checks of what tween filled in; each break goes into {@link #problems}. */
  private void check(String id, String clientId, FakeGraph g) throws IOException {
    for (String left : g.leftoverPlaceholders()) problems.add(id + ": placeholder left " + left);
    for (String s : g.numbersAsStrings()) problems.add(id + ": number sent as a string at " + s);
    String wan = g.first("WanFirstLastFrameToVideo").orElseThrow();
    String sampler =
        g.ids("KSamplerAdvanced").stream()
            .filter(s -> g.input(s, "add_noise").asText().equals("enable"))
            .findFirst()
            .orElseThrow();
    BufferedImage first = image(g, wan, "start_image");
    BufferedImage last = image(g, wan, "end_image");
    if (expectedFirst != null && !samePixels(first, expectedFirst))
      problems.add(id + ": the start image's LoadImage does not hold the first frame");
    if (expectedLast != null && !samePixels(last, expectedLast))
      problems.add(id + ": the end image's LoadImage does not hold the last frame");
    seen.add(
        new Seen(
            id,
            clientId,
            text(g, wan, "positive"),
            text(g, wan, "negative"),
            g.integer(sampler, "noise_seed"),
            (int) g.integer(wan, "width"),
            (int) g.integer(wan, "height"),
            (int) g.integer(wan, "length"),
            g.number(g.first("CreateVideo").orElseThrow(), "fps"),
            first,
            last));
  }

  private BufferedImage image(FakeGraph g, String wan, String input) throws IOException {
    String load = g.source(wan, input).orElseThrow();
    return ImageIO.read(this.input.resolve(g.input(load, "image").asText()).toFile());
  }

  private static String text(FakeGraph g, String wan, String input) {
    return g.input(g.source(wan, input).orElseThrow(), "text").asText();
  }

  private static boolean samePixels(BufferedImage a, byte[] expected) throws IOException {
    BufferedImage b = ImageIO.read(new ByteArrayInputStream(expected));
    if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) return false;
    for (int y = 0; y < a.getHeight(); y++)
      for (int x = 0; x < a.getWidth(); x++)
        if ((a.getRGB(x, y) & 0xFFFFFF) != (b.getRGB(x, y) & 0xFFFFFF)) return false;
    return true;
  }

  private void queue(Context ctx) {
    ObjectNode q = JSON.createObjectNode();
    synchronized (lock) {
      ArrayNode run = q.putArray("queue_running");
      if (running != null) run.add(item(running));
      ArrayNode wait = q.putArray("queue_pending");
      pending.forEach(i -> wait.add(item(i)));
    }
    ctx.json(q);
  }

  private static ArrayNode item(Item i) {
    ArrayNode a = JSON.createArrayNode().add(i.number).add(i.id).add(i.prompt).add(i.extra);
    i.outputs.forEach(a.addArray()::add);
    return a;
  }

  private void queueDelete(Context ctx) throws IOException {
    JsonNode body = JSON.readTree(ctx.body());
    synchronized (lock) {
      if (body.path("clear").asBoolean()) pending.clear();
      for (JsonNode id : body.path("delete")) pending.removeIf(i -> i.id.equals(id.asText()));
    }
    ctx.status(200);
  }

  private void interrupt(Context ctx) {
    JsonNode body;
    try {
      body = JSON.readTree(ctx.body());
    } catch (IOException e) {
      body = JSON.createObjectNode();
    }
    String id = body == null ? "" : body.path("prompt_id").asText("");
    synchronized (lock) {
      if (running != null && (id.isEmpty() || id.equals(running.id))) {
        interrupts.incrementAndGet();
        lock.notifyAll();
      }
    }
    ctx.status(200);
  }

  private void history(Context ctx) {
    String id = ctx.pathParam("id");
    ObjectNode out = JSON.createObjectNode();
    synchronized (lock) {
      if (history.containsKey(id)) out.set(id, history.get(id).deepCopy());
    }
    ctx.json(out);
  }

  private void view(Context ctx) throws IOException {
    String name = ctx.queryParam("filename");
    if (name == null || name.startsWith("/") || name.contains("..")) {
      ctx.status(400);
      return;
    }
    String type = ctx.queryParam("type") == null ? "output" : ctx.queryParam("type");
    Path dir = type.equals("input") ? input : output;
    String sub = ctx.queryParam("subfolder");
    Path file = (sub == null || sub.isEmpty() ? dir : dir.resolve(sub)).resolve(name).normalize();
    if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
      ctx.status(404);
      return;
    }
    ctx.header("Content-Disposition", "filename=\"" + name + "\"");
    ctx.contentType(name.endsWith(".webm") ? "video/webm" : "video/mp4");
    ctx.result(Files.readAllBytes(file));
  }

  // ---- the prompt worker: one at a time ----

  private void work() {
    while (true) {
      Item item;
      synchronized (lock) {
        while (!closed && pending.isEmpty()) waitOn();
        if (closed) return;
        item = pending.poll();
        running = item;
      }
      ObjectNode entry;
      try {
        entry = new FakeRun(this, item).run();
      } catch (Exception e) {
        entry =
            FakeRun.historyError(item, "fake", "FakeComfyUi", e.getClass().getName(), e.toString());
      }
      synchronized (lock) {
        if (item.generation == generation) {
          history.put(item.id, entry);
          running = null;
        }
      }
      send(item.extra.path("client_id").asText(null), "executing", executingDone(item.id));
    }
  }

  private static ObjectNode executingDone(String id) {
    ObjectNode d = JSON.createObjectNode();
    d.putNull("node");
    d.put("prompt_id", id);
    return d;
  }

  /**
   * Called by a run after each of its steps: waits while held; true if this prompt was interrupted.
   */
  boolean step(Item item, int interruptsAtStart, int stepsDone) {
    synchronized (lock) {
      while (held
          && stepsDone >= holdAfter
          && !closed
          && interrupts.get() == interruptsAtStart
          && item.generation == generation) waitOn();
      return interrupts.get() != interruptsAtStart || item.generation != generation;
    }
  }

  String[] takeExecutionError() {
    String[] e = executionError;
    executionError = null;
    return e;
  }

  synchronized int nextCounter() {
    return ++counter;
  }

  void send(String sid, String type, ObjectNode data) {
    ObjectNode m = JSON.createObjectNode().put("type", type);
    m.set("data", data);
    String text = m.toString();
    if (sid == null) {
      sockets.values().forEach(s -> sendQuietly(s, text));
    } else {
      WsContext s = sockets.get(sid);
      if (s != null) sendQuietly(s, text);
    }
  }

  private static void sendQuietly(WsContext s, String text) {
    try {
      s.send(text);
    } catch (RuntimeException e) {
      // a socket closing while we send; ComfyUI's send_socket_catch_exception does the same
    }
  }

  private int outstanding() {
    return pending.size() + (running == null ? 0 : 1);
  }

  private void waitOn() {
    try {
      lock.wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode error(String type, String message, String details) {
    ObjectNode e = JSON.createObjectNode().put("type", type).put("message", message);
    e.put("details", details);
    e.putObject("extra_info");
    return e;
  }

  private static byte[] sha(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
