package dev.tween.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * The engine as a user of {@code ./tween serve} meets it: an 8 s clip from the same keyframes,
 * timed through HTTP from the submit until the node commits SUCCEED, on a node started by the
 * launcher (its heap ceiling, its start-up cache, its worker nice) and warmed by earlier tasks.
 * task-result is polled every {@link #POLL_MS} ms, as clients do (0.5 to 3 s): polled every 20 ms,
 * the node spent ~0.4 s of a 720p task's cores answering. The node's own log line of each task says
 * where the time went. The bench interleaves these runs with its in-process ones, so that both see
 * the same load.
 */
final class ServerPath implements AutoCloseable {
  private static final String KEY = "bench-key";
  private static final int POLL_MS = 250;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PHASES =
      Pattern.compile(
          "inputs_ms=(\\d+) generate_ms=(\\d+) store_ms=(\\d+) poster_ms=(\\d+) write_ms=(\\d+)");

  /**
   * The fastest run at one resolution and its breakdown as the node logged it (ms): reading the
   * stored inputs, generating (decoding them included), storing the video, the poster, the SUCCEED
   * write.
   */
  record Timing(String resolution, double seconds, double medianSeconds, long[] phasesMs) {}

  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, String> bodies;
  private final Path log;
  private final Process node;
  private final String base;
  private final Map<String, List<Double>> seconds = new java.util.HashMap<>();
  private final Map<String, String> fastest = new java.util.HashMap<>();

  /** Starts the node on a scratch directory under {@code work}. */
  ServerPath(List<BufferedImage> keys, Path work) throws Exception {
    String a = png(keys.get(0));
    String b = png(keys.get(1));
    bodies = Map.of("720p", body(a, b, "720p"), "1080p", body(a, b, "1080p"));
    Path dir = Files.createDirectories(work.resolve("server-node"));
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList())
        if (!p.equals(dir)) Files.delete(p);
    }
    log = dir.resolve("node.log");
    node =
        ServeProcess.start(
            List.of(
                "--port",
                "0",
                "--host",
                "127.0.0.1",
                "--data",
                dir.resolve("data").toString(),
                "--api-keys",
                KEY),
            Map.of(),
            log);
    base = ServeProcess.awaitUrl(node);
  }

  /** Tasks at {@code resolution} that are not timed: JIT, OpenCV's pools. */
  void warmUp(String resolution, int tasks) throws Exception {
    for (int i = 0; i < tasks; i++) run(bodies.get(resolution));
  }

  /**
   * One timed task at {@code resolution}: from just before the submit is sent until the node
   * commits SUCCEED (its {@code complete_time_ms}: the node and the bench read the same clock).
   */
  void time(String resolution) throws Exception {
    long submitted = System.currentTimeMillis();
    JsonNode done = run(bodies.get(resolution));
    String id = done.at("/task/task_id").asText();
    double s = (done.at("/extra/debug_info/complete_time_ms").asLong() - submitted) / 1e3;
    List<Double> all = seconds.computeIfAbsent(resolution, r -> new ArrayList<>());
    if (all.stream().allMatch(x -> s < x)) fastest.put(resolution, id);
    all.add(s);
  }

  /** The fastest and the median of the timed runs, with the node's breakdown of the fastest. */
  Timing timing(String resolution) throws Exception {
    List<Double> sorted = seconds.get(resolution).stream().sorted().toList();
    return new Timing(
        resolution,
        sorted.getFirst(),
        sorted.get(sorted.size() / 2),
        phases(log, fastest.get(resolution)));
  }

  @Override
  public void close() throws InterruptedException {
    ServeProcess.stop(node);
  }

  /** Submits, then polls until the task ends; its task-result. Fails on anything but SUCCEED. */
  private JsonNode run(String body) throws Exception {
    String id = BenchHttp.submit(http, base, KEY, body);
    var poll =
        HttpRequest.newBuilder(URI.create(base + "/v3/async/task-result?task_id=" + id))
            .header("Authorization", "Bearer " + KEY)
            .build();
    while (true) {
      JsonNode r = JSON.readTree(http.send(poll, HttpResponse.BodyHandlers.ofString()).body());
      String status = r.at("/task/status").asText();
      if (status.equals("TASK_STATUS_SUCCEED")) return r;
      if (!status.equals("TASK_STATUS_QUEUED") && !status.equals("TASK_STATUS_PROCESSING"))
        throw new IllegalStateException("bench task ended " + r.get("task"));
      Thread.sleep(POLL_MS);
    }
  }

  private static long[] phases(Path log, String id) throws Exception {
    for (String line : Files.readAllLines(log)) {
      if (!line.contains("event=task_succeeded task=" + id)) continue;
      Matcher m = PHASES.matcher(line);
      if (m.find()) {
        long[] out = new long[5];
        for (int i = 0; i < 5; i++) out[i] = Long.parseLong(m.group(i + 1));
        return out;
      }
    }
    return new long[5];
  }

  private static String body(String a, String b, String res) {
    return JSON.createObjectNode()
        .put("image", a)
        .put("last_frame_image", b)
        .put("prompt", "bench")
        .put("duration", 8)
        .put("resolution", res)
        .put("seed", 1)
        .toString();
  }

  private static String png(BufferedImage img) throws java.io.IOException {
    var out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }
}
