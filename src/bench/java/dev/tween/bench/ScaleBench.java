package dev.tween.bench;

import dev.tween.app.App;
import dev.tween.config.TweenConfig;
import dev.tween.task.Task;
import dev.tween.task.TaskStatus;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./tween bench scale}: the same workload of 720p tasks through 1 node and then 2 nodes
 * sharing one PostgreSQL (a throwaway local server) and one blob store, reported as tasks per
 * minute.
 */
@Command(
    name = "scale",
    description = "Tasks/minute with 1 and 2 nodes on one PostgreSQL and shared storage.")
public final class ScaleBench implements Callable<Integer> {
  private static final String KEY = "bench-key";
  private static final Pattern TASK_ID = Pattern.compile("\"task_id\"\\s*:\\s*\"([^\"]+)\"");

  @Option(
      names = "--tasks",
      defaultValue = "12",
      description = "Tasks per run (default ${DEFAULT-VALUE}).")
  int tasks;

  @Option(
      names = "--workers",
      defaultValue = "1",
      description = "Workers per node (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--storage-url",
      defaultValue = "",
      description =
          "Shared blob storage, e.g. s3://bucket/prefix (default: a directory under bench/work/scale).")
  String storageUrl;

  @Option(
      names = "--s3-endpoint",
      defaultValue = "",
      description = "S3 endpoint for an S3-compatible server.")
  String s3Endpoint;

  @Option(
      names = "--s3-path-style",
      defaultValue = "false",
      description = "Path-style S3 addressing.")
  boolean s3PathStyle;

  @Option(
      names = "--out",
      defaultValue = "bench/results",
      description = "Output directory (default ${DEFAULT-VALUE}).")
  Path out;

  record Run(int nodes, int tasks, double seconds) {
    double perMinute() {
      return tasks * 60 / seconds;
    }
  }

  private final HttpClient http = HttpClient.newHttpClient();
  private Path work;
  private String body;
  private String loadBefore;

  @Override
  public Integer call() throws Exception {
    work = Files.createDirectories(Path.of("bench/work/scale"));
    loadBefore = SpeedBench.loadAverage();
    List<String> pair = warpPathPair();
    body =
        """
        {"image":"data:image/png;base64,%s","last_frame_image":"data:image/png;base64,%s","prompt":"bench","duration":4}"""
            .formatted(pair.get(0), pair.get(1));
    System.err.println("warming up (JIT, native libraries) ...");
    measure(1, 1);
    List<Run> runs = new ArrayList<>();
    for (int nodes : new int[] {1, 2}) {
      Run r = measure(nodes, tasks);
      runs.add(r);
      System.err.printf(
          Locale.ROOT,
          "%d node(s): %d tasks in %.1f s = %.1f tasks/min%n",
          nodes,
          r.tasks(),
          r.seconds(),
          r.perMinute());
    }
    write(runs);
    return 0;
  }

  /**
   * Starts {@code nodes} nodes on a fresh database and storage prefix, runs the workload, stops
   * them.
   */
  private Run measure(int nodes, int count) throws Exception {
    String db = LocalPostgres.get().freshDatabase();
    String run = UUID.randomUUID().toString().substring(0, 8);
    String storage =
        storageUrl.isEmpty()
            ? work.resolve("blobs-" + run).toUri().toString()
            : storageUrl.replaceAll("/+$", "") + "/" + run;
    List<App> apps = new ArrayList<>();
    try {
      for (int i = 0; i < nodes; i++)
        apps.add(App.start(TweenConfig.load(Map.of(), flags(db, storage, run + "-" + i))));
      long t0 = System.nanoTime();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < count; i++) ids.add(submit(apps.get(i % nodes), i));
      awaitAll(apps.getFirst(), ids);
      return new Run(nodes, count, (System.nanoTime() - t0) / 1e9);
    } finally {
      apps.forEach(App::close);
    }
  }

  private Map<String, String> flags(String db, String storage, String node) {
    var f =
        new HashMap<String, String>(
            Map.of(
                "port",
                "0",
                "host",
                "127.0.0.1",
                "data",
                work.resolve("node-" + node).toString(),
                "api-keys",
                KEY,
                "db-url",
                db,
                "db-user",
                LocalPostgres.USER,
                "storage-url",
                storage,
                "workers",
                Integer.toString(workers),
                "poll-millis",
                "200"));
    f.put("rate-limit-per-minute", "0");
    f.put("queue-capacity", "100000");
    if (!s3Endpoint.isEmpty()) f.put("s3-endpoint", s3Endpoint);
    f.put("s3-path-style", Boolean.toString(s3PathStyle));
    return f;
  }

  private String submit(App node, int seed) throws Exception {
    var r =
        http.send(
            HttpRequest.newBuilder(URI.create(node.baseUrl() + "/v3/async/veo-3.1-lite-flf2v"))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        body.replace("\"duration\":4", "\"duration\":4,\"seed\":" + seed)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m = TASK_ID.matcher(r.body());
    if (r.statusCode() != 200 || !m.find())
      throw new IllegalStateException("submit answered " + r.statusCode() + ": " + r.body());
    return m.group(1);
  }

  private static void awaitAll(App node, List<String> ids) throws InterruptedException {
    for (String id : ids) {
      while (true) {
        Task t = node.tasks().findById(id).orElseThrow();
        if (t.status() == TaskStatus.SUCCEED) break;
        if (t.status().isFinal())
          throw new IllegalStateException(
              "task " + id + " ended " + t.status() + ": " + t.reason());
        Thread.sleep(100);
      }
    }
  }

  /**
   * The speed bench's keyframes (a real pair, the second zoomed and panned) as base64 PNGs, after
   * checking that the engine warps them at 720p rather than dissolving.
   */
  private static List<String> warpPathPair() throws Exception {
    List<BufferedImage> keys = SpeedBench.keyframes();
    var analysis = dev.tween.engine.EngineBench.analysis(keys.get(0), keys.get(1), 1280, 720);
    if (analysis.dissolve())
      throw new IllegalStateException("the scale bench must run the warp path, got " + analysis);
    List<String> out = new ArrayList<>();
    for (BufferedImage img : keys) {
      var bytes = new ByteArrayOutputStream();
      ImageIO.write(img, "png", bytes);
      out.add(Base64.getEncoder().encodeToString(bytes.toByteArray()));
    }
    return out;
  }

  private void write(List<Run> runs) throws Exception {
    Files.createDirectories(out);
    double base = runs.getFirst().perMinute();
    String storage = storageUrl.isEmpty() ? "a shared local directory" : storageUrl;
    var csv = new StringBuilder("nodes,workers_per_node,tasks,seconds,tasks_per_minute,speedup\n");
    var md =
        new StringBuilder(
            "# bench scale — "
                + LocalDateTime.now().withNano(0)
                + "\n\n"
                + ApiBench.cpuLine()
                + " The same "
                + tasks
                + " tasks (720p, 4 s, local engine on its warp path: the speed bench's keyframes, one sample) submitted round-robin to 1, then 2"
                + " nodes in one JVM sharing a throwaway PostgreSQL and "
                + storage
                + "; time from the first submit to the"
                + " last SUCCEED. Load average before the runs: "
                + loadBefore
                + " (the machine is shared).\n\n| nodes | workers/node | tasks | seconds | tasks/min | speedup |\n|---|---|---|---|---|---|\n");
    for (Run r : runs) {
      csv.append(
          String.format(
              Locale.ROOT,
              "%d,%d,%d,%.1f,%.1f,%.2f%n",
              r.nodes(),
              workers,
              r.tasks(),
              r.seconds(),
              r.perMinute(),
              r.perMinute() / base));
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %d | %d | %.1f | %.1f | %.2f× |%n",
              r.nodes(),
              workers,
              r.tasks(),
              r.seconds(),
              r.perMinute(),
              r.perMinute() / base));
    }
    Files.writeString(out.resolve("scale.csv"), csv);
    Files.writeString(out.resolve("scale.md"), md);
    System.out.print(md);
  }
}
