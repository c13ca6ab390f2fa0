package dev.tween.bench;

import dev.tween.app.App;
import dev.tween.config.TweenConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./tween bench api}: the HTTP service under load from wrk. Every figure is reported next to
 * the {@code /healthz} floor measured in the same run.
 */
@Command(
    name = "api",
    description = "Throughput and latency of the HTTP API under wrk (results in bench/results/).")
public final class ApiBench implements Callable<Integer> {
  private static final String KEY = "bench-key";

  @Option(
      names = "--seconds",
      defaultValue = "10",
      description = "Length of each measured run (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--connections",
      defaultValue = "32",
      description = "Concurrent connections (default ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--tasks",
      defaultValue = "500",
      description = "Tasks created before polling (default ${DEFAULT-VALUE}).")
  int tasks;

  @Option(
      names = "--out",
      defaultValue = "bench/results",
      description = "Output directory (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--label",
      defaultValue = "",
      description = "Suffix of the result files, e.g. 'before'.")
  String label;

  @Option(
      names = "--generating",
      defaultValue = "true",
      negatable = true,
      description =
          "Also measure task-result while the local engine generates 1080p clips (default ${DEFAULT-VALUE}).")
  boolean generating;

  @Option(
      names = "--generating-repeats",
      defaultValue = "1",
      description =
          "Times each while-generating row is measured, alternating (default ${DEFAULT-VALUE}).")
  int generatingRepeats;

  @Option(
      names = "--burst-seconds",
      defaultValue = "60",
      description = "Length of the overload burst (default ${DEFAULT-VALUE}; 0 skips it).")
  int burstSeconds;

  @Override
  public Integer call() throws Exception {
    Wrk.requireInstalled();
    Path work = Files.createDirectories(Path.of("bench/work"));
    Path data = Files.createTempDirectory(work, "api-");
    var flags =
        Map.of(
            "port",
            "0",
            "host",
            "127.0.0.1",
            "data",
            data.toString(),
            "workers",
            "0",
            "api-keys",
            KEY,
            "rate-limit-per-minute",
            "0",
            "queue-capacity",
            "100000000");
    List<Wrk.Result> results = new ArrayList<>();
    try (App app = App.start(TweenConfig.load(Map.of(), flags))) {
      String base = app.baseUrl();
      String body = submitBody();
      List<String> ids = seed(base, body, tasks);
      var wrk = new Wrk(work);
      Duration d = Duration.ofSeconds(seconds);
      String health =
          "wrk.method = 'GET'\nfunction request() return wrk.format(nil, '/healthz') end";
      String poll = pollLua(ids);
      String submit = submitLua(body);
      // Warm-up so the JIT has compiled the hot paths before anything is measured.
      for (String lua : List.of(health, poll))
        wrk.run("warmup", base, lua, connections, Duration.ofSeconds(3), 0);

      Wrk.Result floor = wrk.run("GET /healthz", base, health, connections, d, 0);
      results.add(floor);
      Wrk.Result pollMax = wrk.run("GET /v3/async/task-result", base, poll, connections, d, 0);
      results.add(pollMax);
      results.add(wrk.run("POST submit (data-URI images)", base, submit, 8, d, 0));
      double half = pollMax.rps() / 2;
      results.add(wrk.run("GET /healthz", base, health, connections, d, half));
      results.add(wrk.run("GET /v3/async/task-result", base, poll, connections, d, half));
    }
    write(results);
    if (generating) whileGenerating(work);
    if (burstSeconds > 0) overload(work);
    return 0;
  }

  /**
   * Overload: a submit flood far above the key's rate limit and the queue's capacity, with the
   * local engine working. Every answer must be 200 or a fast 429; heap is sampled during the burst;
   * afterwards every accepted task must finish.
   */
  private void overload(Path work) throws Exception {
    Path data = Files.createTempDirectory(work, "overload-");
    var flags =
        Map.of(
            "port",
            "0",
            "host",
            "127.0.0.1",
            "data",
            data.toString(),
            "api-keys",
            KEY,
            "rate-limit-per-minute",
            "600",
            "rate-limit-burst",
            "20",
            "queue-capacity",
            "10");
    try (App app = App.start(TweenConfig.load(Map.of(), flags))) {
      var heap = new java.util.concurrent.atomic.AtomicLong();
      var sampling =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                      Runtime rt = Runtime.getRuntime();
                      heap.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                      try {
                        Thread.sleep(250);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
      String lua =
          submitLua(submitBody())
              + """
          counts = {}
          function response(status, headers, body)
            counts[status] = (counts[status] or 0) + 1
          end
          """;
      var wrk = new Wrk(work);
      var statuses =
          wrk.runCountingStatuses(
              "overload submit", app.baseUrl(), lua, 16, Duration.ofSeconds(burstSeconds));
      sampling.interrupt();
      long accepted = statuses.getOrDefault(200, 0L);
      long limited = statuses.getOrDefault(429, 0L);
      long other =
          statuses.entrySet().stream()
              .filter(e -> e.getKey() != 200 && e.getKey() != 429)
              .mapToLong(Map.Entry::getValue)
              .sum();
      long t0 = System.nanoTime();
      var store = app.tasks();
      while (store.countByStatus().get(dev.tween.task.TaskStatus.QUEUED)
              + store.countByStatus().get(dev.tween.task.TaskStatus.PROCESSING)
          > 0) {
        Thread.sleep(500);
        if (System.nanoTime() - t0 > Duration.ofMinutes(15).toNanos()) break;
      }
      double drain = (System.nanoTime() - t0) / 1e9;
      var counts = store.countByStatus();
      String md =
          String.format(
              Locale.ROOT,
              """

          ## Overload (%d s submit flood, 16 connections; rate limit 600/min burst 20; queue capacity 10; local engine working)

          | answers 200 | answers 429 | other answers / socket errors | max heap used | after the burst: tasks SUCCEED / FAILED / still open | drain time |
          |---|---|---|---|---|---|
          | %d | %d | %d | %d MiB | %d / %d / %d | %.0f s |
          """,
              burstSeconds,
              accepted,
              limited,
              other,
              heap.get() >> 20,
              counts.get(dev.tween.task.TaskStatus.SUCCEED),
              counts.get(dev.tween.task.TaskStatus.FAILED),
              counts.get(dev.tween.task.TaskStatus.QUEUED)
                  + counts.get(dev.tween.task.TaskStatus.PROCESSING),
              drain);
      String suffix = label.isBlank() ? "" : "-" + label;
      Files.writeString(
          out.resolve("api" + suffix + ".md"), md, java.nio.file.StandardOpenOption.APPEND);
      System.out.print(md);
    }
  }

  /**
   * {@code task-result} at 16 connections on an idle node, then on nodes whose local engine
   * generates 1080p clips back to back, with the workers at equal weight (nice 0) and at the
   * default nice.
   */
  private void whileGenerating(Path work) throws Exception {
    var wrk = new Wrk(work);
    String body = generatingBody();
    var md =
        new StringBuilder(
            """

        ## task-result while the local engine generates (16 connections, max rate)

        Each row a fresh node with 100 tasks (1080p, 4 s) queued; "generating" rows have one worker
        running the local engine throughout the measured run.

        | node | worker nice | req/s | p50 ms | p99 ms | p99.9 ms | errors | clips generated during the run | machine load before |
        |---|---|---|---|---|---|---|---|---|
        """);
    for (int nice :
        java.util.stream.IntStream.range(0, 3 * generatingRepeats)
            .map(i -> new int[] {-1, 0, 10}[i % 3])
            .toArray()) {
      Path data = Files.createTempDirectory(work, "generating-");
      var flags =
          new java.util.HashMap<>(
              Map.of(
                  "port",
                  "0",
                  "host",
                  "127.0.0.1",
                  "data",
                  data.toString(),
                  "api-keys",
                  KEY,
                  "rate-limit-per-minute",
                  "0",
                  "queue-capacity",
                  "100000000"));
      flags.put("workers", nice < 0 ? "0" : "1");
      flags.put("worker-nice", Integer.toString(Math.max(nice, 0)));
      try (App app = App.start(TweenConfig.load(Map.of(), flags))) {
        String base = app.baseUrl();
        List<String> ids = seed(base, body, 100);
        String poll = pollLua(ids);
        var store = app.tasks();
        long t0 = System.nanoTime();
        while (nice >= 0
            && store.countByStatus().get(dev.tween.task.TaskStatus.PROCESSING) == 0
            && System.nanoTime() - t0 < Duration.ofMinutes(1).toNanos()) {
          Thread.sleep(100);
        }
        wrk.run("warmup", base, poll, 16, Duration.ofSeconds(3), 0);
        String load = loadAverage();
        double before = clipsDone(base, ids);
        Wrk.Result r =
            wrk.run("GET /v3/async/task-result", base, poll, 16, Duration.ofSeconds(seconds), 0);
        double clips = clipsDone(base, ids) - before;
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %.0f | %.2f | %.2f | %.2f | %d | %s | %s |%n",
                nice < 0 ? "idle (no workers)" : "generating",
                nice < 0 ? "–" : Integer.toString(nice),
                r.rps(),
                r.p50() / 1000,
                r.p99() / 1000,
                r.p999() / 1000,
                r.errors(),
                nice < 0 ? "–" : String.format(Locale.ROOT, "%.2f", clips),
                load));
      }
    }
    String suffix = label.isBlank() ? "" : "-" + label;
    Files.writeString(
        out.resolve("api" + suffix + ".md"), md, java.nio.file.StandardOpenOption.APPEND);
    System.out.print(md);
  }

  /** Finished clips plus the running one's progress, read through task-result. */
  private static double clipsDone(String base, List<String> ids)
      throws IOException, InterruptedException {
    var http = HttpClient.newHttpClient();
    double done = 0;
    for (String id : ids) {
      String json =
          http.send(
                  HttpRequest.newBuilder(URI.create(base + "/v3/async/task-result?task_id=" + id))
                      .header("Authorization", "Bearer " + KEY)
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      var task = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path("task");
      String status = task.path("status").asText();
      if (status.equals("TASK_STATUS_SUCCEED")) done += 1;
      else if (status.equals("TASK_STATUS_PROCESSING"))
        done += task.path("progress_percent").asDouble() / 100;
    }
    return done;
  }

  /** The 1-minute load average: other work on the machine shows in every latency figure. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  /** A 1080p, 4 s submit with two textured 480x270 frames 24 px apart: real work for the engine. */
  private static String generatingBody() throws IOException {
    String first = "data:image/png;base64," + Base64.getEncoder().encodeToString(texture(0));
    String last = "data:image/png;base64," + Base64.getEncoder().encodeToString(texture(24));
    return "{\"image\":\""
        + first
        + "\",\"last_frame_image\":\""
        + last
        + "\",\"prompt\":\"bench\",\"duration\":4,\"resolution\":\"1080p\"}";
  }

  private static byte[] texture(int shift) throws IOException {
    var img =
        new java.awt.image.BufferedImage(480, 270, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 270; y++) {
      for (int x = 0; x < 480; x++) {
        int u = x + shift;
        int r = (int) (127 + 100 * Math.sin(u / 9.0) * Math.cos(y / 13.0));
        int g = (int) (127 + 100 * Math.sin((u + y) / 21.0));
        int b = ((u / 30 + y / 30) % 2) * 160 + 40;
        img.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    var bytes = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", bytes);
    return bytes.toByteArray();
  }

  /** A submit body with two small PNGs as data URIs (the queue-insert path, not generation). */
  static String submitBody() throws IOException {
    var img = new java.awt.image.BufferedImage(64, 36, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
    var bytes = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", bytes);
    String uri = "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes.toByteArray());
    return "{\"image\":\""
        + uri
        + "\",\"last_frame_image\":\""
        + uri
        + "\",\"prompt\":\"bench\",\"duration\":4}";
  }

  private static List<String> seed(String base, String body, int n)
      throws IOException, InterruptedException {
    var http = HttpClient.newHttpClient();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) ids.add(BenchHttp.submit(http, base, KEY, body));
    return ids;
  }

  private static String pollLua(List<String> ids) {
    var sb = new StringBuilder("ids = {");
    for (String id : ids) sb.append('"').append(id).append("\",");
    sb.append("}\ni = 0\n");
    sb.append("wrk.headers['Authorization'] = 'Bearer ").append(KEY).append("'\n");
    sb.append(
        "function request() i = i + 1; return wrk.format('GET', '/v3/async/task-result?task_id=' .. ids[(i % #ids) + 1]) end\n");
    return sb.toString();
  }

  private static String submitLua(String body) {
    return "wrk.method = 'POST'\nwrk.headers['Authorization'] = 'Bearer "
        + KEY
        + "'\n"
        + "wrk.headers['Content-Type'] = 'application/json'\nwrk.body = '"
        + body
        + "'\n"
        + "function request() return wrk.format(nil, '/v3/async/veo-3.1-lite-flf2v') end\n";
  }

  private void write(List<Wrk.Result> results) throws IOException {
    Files.createDirectories(out);
    String suffix = label.isBlank() ? "" : "-" + label;
    Wrk.Result floorMax = results.getFirst();
    var csv =
        new StringBuilder(
            "scenario,mode,target_rps,rps,p50_ms,p99_ms,p999_ms,errors,percent_of_healthz\n");
    var md =
        new StringBuilder(
            "# bench api"
                + (label.isBlank() ? "" : " (" + label + ")")
                + " — "
                + LocalDateTime.now().withNano(0)
                + "\n\n"
                + cpuLine()
                + " Load from wrk on the same machine.\n\n"
                + "| scenario | mode | req/s | p50 ms | p99 ms | p99.9 ms | errors | vs /healthz |\n|---|---|---|---|---|---|---|---|\n");
    for (Wrk.Result r : results) {
      Wrk.Result floor = r.mode().equals("max") ? floorMax : results.get(3);
      double pct = 100.0 * r.rps() / floor.rps();
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%.0f,%.0f,%.2f,%.2f,%.2f,%d,%.0f%n",
              Csv.field(r.scenario()),
              Csv.field(r.mode()),
              r.targetRate(),
              r.rps(),
              r.p50() / 1000,
              r.p99() / 1000,
              r.p999() / 1000,
              r.errors(),
              pct));
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.0f | %.2f | %.2f | %.2f | %d | %.0f %% |%n",
              r.scenario(),
              r.mode().equals("max")
                  ? "max (" + r.connections() + " conn)"
                  : String.format(Locale.ROOT, "fixed %.0f/s", r.targetRate()),
              r.rps(),
              r.p50() / 1000,
              r.p99() / 1000,
              r.p999() / 1000,
              r.errors(),
              pct));
    }
    Files.writeString(out.resolve("api" + suffix + ".csv"), csv);
    Files.writeString(out.resolve("api" + suffix + ".md"), md);
    System.out.print(md);
  }

  static String cpuLine() {
    return "Machine: "
        + Runtime.getRuntime().availableProcessors()
        + " cores, JDK "
        + Runtime.version()
        + ".";
  }
}
