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
 * timed through HTTP from the submit until task-result says SUCCEED (polled every {@link #POLL_MS}
 * ms), on a node started by the launcher (its heap ceiling, its start-up cache, its worker nice)
 * and warmed by earlier tasks. The node's own log line of each task says where the time went.
 */
final class ServerPath {
  private static final String KEY = "bench-key";
  private static final int POLL_MS = 20;
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
  private final String body720;
  private final String body1080;
  private String base;

  ServerPath(List<BufferedImage> keys) throws Exception {
    String a = png(keys.get(0));
    String b = png(keys.get(1));
    body720 = body(a, b, "720p");
    body1080 = body(a, b, "1080p");
  }

  /** Timings at 720p and 1080p, each the fastest of {@code repeat} runs after a warm-up. */
  List<Timing> measure(Path work, int repeat) throws Exception {
    Path dir = Files.createDirectories(work.resolve("server-node"));
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList())
        if (!p.equals(dir)) Files.delete(p);
    }
    Path log = dir.resolve("node.log");
    Process node =
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
    try {
      base = ServeProcess.awaitUrl(node);
      List<Timing> out = new ArrayList<>();
      for (String res : List.of("720p", "1080p")) {
        String body = res.equals("720p") ? body720 : body1080;
        for (int w = 0; w < (res.equals("720p") ? 2 : 1); w++) run(body); // JIT, OpenCV's pools
        List<double[]> runs = new ArrayList<>();
        String fastestId = null;
        for (int r = 0; r < repeat; r++) {
          long t0 = System.nanoTime();
          String id = run(body);
          double s = (System.nanoTime() - t0) / 1e9;
          if (runs.stream().allMatch(x -> s < x[0])) fastestId = id;
          runs.add(new double[] {s});
        }
        List<Double> sorted = runs.stream().map(x -> x[0]).sorted().toList();
        out.add(
            new Timing(
                res, sorted.getFirst(), sorted.get(sorted.size() / 2), phases(log, fastestId)));
      }
      return out;
    } finally {
      ServeProcess.stop(node);
    }
  }

  /** Submits, then polls until the task ends; the task id. Fails on anything but SUCCEED. */
  private String run(String body) throws Exception {
    String id = BenchHttp.submit(http, base, KEY, body);
    var poll =
        HttpRequest.newBuilder(URI.create(base + "/v3/async/task-result?task_id=" + id))
            .header("Authorization", "Bearer " + KEY)
            .build();
    while (true) {
      JsonNode r = JSON.readTree(http.send(poll, HttpResponse.BodyHandlers.ofString()).body());
      String status = r.at("/task/status").asText();
      if (status.equals("TASK_STATUS_SUCCEED")) return id;
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
