package dev.tween.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tween.google.FakeGoogle;
import dev.tween.storage.s3.S3Server;
import dev.tween.testing.Images;
import dev.tween.testing.TweenProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./tween bench gateway}: tween as a gateway in front of a fake Vertex AI whose operations
 * take a fixed time, through HTTP as a user meets it, with real node processes.
 *
 * <ol>
 *   <li><b>One node on SQLite</b>, one deployment with {@code max_concurrent} 1000: how many
 *       operations the fake sees in flight at once, how long until every task SUCCEEDs, the node's
 *       RSS, and task-result latency while they run.
 *   <li><b>Two nodes on PostgreSQL and S3</b>, two Vertex deployments whose quotas the fake
 *       enforces per project and location: 429s, each deployment's share, a 20 s outage of one
 *       region, a {@code kill -9} of one node (restarted), creates per task, and the makespan
 *       against what the quotas allow.
 * </ol>
 *
 * Every task must SUCCEED having been created upstream exactly once (the fake counts creates per
 * prompt, and each task has its own): a task that took another path fails the bench.
 */
@Command(
    name = "gateway",
    description =
        "Upstream gateway at scale against a fake Vertex AI; results in bench/results/gateway.{csv,md}.")
public final class GatewayBench implements java.util.concurrent.Callable<Integer> {
  private static final String KEY = "bench-key";
  private static final String PROJECT = "bench-project";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--tasks", defaultValue = "600", description = "One-node run: tasks.")
  int tasks;

  @Option(
      names = "--operation-seconds",
      defaultValue = "30",
      description = "One-node run: how long each fake operation takes.")
  int operationSeconds;

  @Option(names = "--cluster-tasks", defaultValue = "120", description = "Two-node run: tasks.")
  int clusterTasks;

  @Option(
      names = "--cluster-operation-seconds",
      defaultValue = "8",
      description = "Two-node run: how long each fake operation takes.")
  int clusterOperationSeconds;

  @Option(
      names = "--only",
      defaultValue = "both",
      description = "single, cluster or both (default ${DEFAULT-VALUE}).")
  String only;

  @Option(names = "--out", defaultValue = "bench/results", description = "Output directory.")
  Path out;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Path work;

  /**
   * One measured figure: the scenario, its name, the value, the unit, and the goal it is held to.
   */
  record Row(String scenario, String metric, double value, String unit, String goal, boolean met) {}

  @Override
  public Integer call() throws Exception {
    work = Path.of("bench/work/gateway");
    deleteTree(work);
    Files.createDirectories(work);
    List<Row> rows = new ArrayList<>();
    String load = SpeedBench.loadAverage();
    if (!only.equals("cluster")) rows.addAll(single());
    if (!only.equals("single")) rows.addAll(cluster());
    write(rows, load);
    boolean pathOk = rows.stream().filter(r -> r.metric().startsWith("path:")).allMatch(Row::met);
    return pathOk ? 0 : 1;
  }

  // One node, SQLite -------------------------------------------------------------------------

  private List<Row> single() throws Exception {
    System.err.printf(
        Locale.ROOT,
        "one node on SQLite: %d tasks, operations of %d s, max_concurrent 1000%n",
        tasks,
        operationSeconds);
    Path dir = Files.createDirectories(work.resolve("single"));
    try (FakeGoogle fake = new FakeGoogle(FakeGoogle.clip(dir, false))) {
      fake.operationMillis = operationSeconds * 1000L;
      Path deployments = deploymentsFile(dir, fake, Map.of("us-central1", new int[] {1000, 0}));
      Map<String, String> flags = nodeFlags(dir.resolve("data"), deployments);
      TweenProcess node = TweenProcess.start(flags, dir.resolve("node.log"));
      var rss = new Sampler(() -> rssMib(node.pid()));
      var inFlight = new Sampler(fake::running);
      var latencies = new CopyOnWriteArrayList<Long>();
      List<String> ids;
      long t0;
      double allDone;
      double submitted;
      try {
        rss.start();
        inFlight.start();
        t0 = System.nanoTime();
        ids = submitAll(List.of(node), "single-", tasks);
        submitted = since(t0);
        var reader = new ResultReader(node, ids, latencies, 100);
        reader.start();
        allDone = awaitAll(List.of(node), ids, t0, Duration.ofSeconds(600));
        reader.stop();
      } finally {
        rss.stop();
        inFlight.stop();
        node.close();
      }
      Map<String, Integer> statuses = statuses(ids);
      long once = ids.size() - badCreates(fake, "single-", tasks);
      double p99 = percentile(latencies, 0.99);
      System.err.printf(
          Locale.ROOT,
          "  peak in flight %d, all done after %.1f s, RSS peak %.0f MiB, task-result p99 %.1f ms"
              + " over %d reads%n",
          (int) inFlight.max(),
          allDone,
          rss.max(),
          p99,
          latencies.size());
      String s = "one node, SQLite";
      // the baseline of this run: nothing can end before the last submit plus one operation
      double ideal = submitted + operationSeconds;
      return List.of(
          new Row(s, "submitting every task took", submitted, "s", "", true),
          new Row(s, "ideal: last submit + one operation", ideal, "s", "", true),
          new Row(
              s,
              "path: tasks SUCCEED",
              statuses.getOrDefault("TASK_STATUS_SUCCEED", 0),
              "tasks",
              "= " + tasks,
              statuses.getOrDefault("TASK_STATUS_SUCCEED", 0) == tasks),
          new Row(
              s, "path: created upstream exactly once", once, "tasks", "= " + tasks, once == tasks),
          new Row(
              s,
              "operations in flight at once (fake's count)",
              inFlight.max(),
              "operations",
              ">= " + (int) (tasks * 0.95),
              inFlight.max() >= tasks * 0.95),
          new Row(
              s,
              "first submit to last SUCCEED",
              allDone,
              "s",
              "<= 120 (ideal " + Math.round(ideal) + ")",
              allDone <= 120),
          new Row(s, "node RSS, peak", rss.max(), "MiB", "<= 1024", rss.max() <= 1024),
          new Row(s, "task-result p99 while running", p99, "ms", "<= 100", p99 <= 100),
          new Row(
              s, "task-result reads measured", latencies.size(), "reads", "(100/s target)", true));
    }
  }

  // Two nodes, PostgreSQL and S3 -------------------------------------------------------------

  private List<Row> cluster() throws Exception {
    System.err.printf(
        Locale.ROOT,
        "two nodes on PostgreSQL and S3: %d tasks of %d s, two deployments of 6 concurrent and"
            + " 40/min each%n",
        clusterTasks,
        clusterOperationSeconds);
    Path dir = Files.createDirectories(work.resolve("cluster"));
    S3Server s3 = S3Server.get();
    try (FakeGoogle fake = new FakeGoogle(FakeGoogle.clip(dir, false))) {
      fake.operationMillis = clusterOperationSeconds * 1000L;
      var limits = new LinkedHashMap<String, int[]>();
      limits.put("us-central1", new int[] {6, 40});
      limits.put("europe-west4", new int[] {6, 40});
      limits.forEach((loc, l) -> fake.quota(PROJECT, loc, l[0], l[1]));
      Path deployments = deploymentsFile(dir, fake, limits);
      String db = LocalPostgres.get().freshDatabase();
      String storage = s3.freshStorageUrl();
      Map<String, String> shared = new HashMap<>(s3.flags(storage, false));
      shared.put("db-url", db);
      shared.put("db-user", LocalPostgres.USER);
      Map<String, String> flagsA = nodeFlags(dir.resolve("a"), deployments);
      flagsA.putAll(shared);
      Map<String, String> flagsB = nodeFlags(dir.resolve("b"), deployments);
      flagsB.putAll(shared);
      List<TweenProcess> nodes = new ArrayList<>();
      nodes.add(TweenProcess.start(flagsA, s3.environment(), dir.resolve("a.log")));
      nodes.add(TweenProcess.start(flagsB, s3.environment(), dir.resolve("b.log")));
      List<String> ids;
      double makespan;
      List<String> events = new ArrayList<>();
      try {
        long t0 = System.nanoTime();
        ids = submitAll(nodes, "cluster-", clusterTasks);
        var chaos =
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        sleepUntil(t0, 15);
                        fake.down.add("europe-west4");
                        events.add(
                            String.format(
                                Locale.ROOT, "%.1f s: europe-west4 down (503)", since(t0)));
                        sleepUntil(t0, 35);
                        fake.down.remove("europe-west4");
                        events.add(
                            String.format(Locale.ROOT, "%.1f s: europe-west4 back", since(t0)));
                        sleepUntil(t0, 45);
                        nodes.get(1).kill9();
                        events.add(
                            String.format(
                                Locale.ROOT, "%.1f s: node b killed (SIGKILL)", since(t0)));
                        nodes.set(
                            1, TweenProcess.start(flagsB, s3.environment(), dir.resolve("b.log")));
                        events.add(
                            String.format(Locale.ROOT, "%.1f s: node b restarted", since(t0)));
                      } catch (Exception e) {
                        events.add("chaos failed: " + e);
                      }
                    });
        makespan = awaitAll(List.of(nodes.get(0)), ids, t0, Duration.ofSeconds(900));
        chaos.join();
      } finally {
        for (TweenProcess n : nodes) n.close();
      }
      events.forEach(e -> System.err.println("  " + e));
      Map<String, Integer> statuses = statuses(ids);
      int succeeded = statuses.getOrDefault("TASK_STATUS_SUCCEED", 0);
      int failed = statuses.getOrDefault("TASK_STATUS_FAILED", 0);
      int accepted =
          fake.accepted.values().stream()
              .mapToInt(java.util.concurrent.atomic.AtomicInteger::get)
              .sum();
      int throttled =
          fake.throttled.values().stream()
              .mapToInt(java.util.concurrent.atomic.AtomicInteger::get)
              .sum();
      double share429 = 100.0 * throttled / Math.max(1, accepted + throttled);
      double us = share(fake, "us-central1", accepted);
      double eu = share(fake, "europe-west4", accepted);
      long twice = badCreates(fake, "cluster-", clusterTasks);
      // what the quotas allow: creates per minute over both regions, and slots × operation time
      double byRate = clusterTasks * 60.0 / 80;
      double bySlots = Math.ceil(clusterTasks / 12.0) * clusterOperationSeconds;
      double ideal = Math.max(byRate, bySlots);
      System.err.printf(
          Locale.ROOT,
          "  %d SUCCEED, %d FAILED, 429s %.1f %%, shares us %.0f %% eu %.0f %%, makespan %.1f s"
              + " (quotas allow %.0f s)%n",
          succeeded,
          failed,
          share429,
          us,
          eu,
          makespan,
          ideal);
      String s = "two nodes, PostgreSQL + S3";
      List<Row> rows = new ArrayList<>();
      rows.add(
          new Row(
              s,
              "path: tasks SUCCEED",
              succeeded,
              "tasks",
              "= " + clusterTasks,
              succeeded == clusterTasks));
      rows.add(
          new Row(
              s,
              "path: tasks created upstream other than exactly once",
              twice,
              "tasks",
              "= 0",
              twice == 0));
      rows.add(new Row(s, "tasks FAILED", failed, "tasks", "= 0", failed == 0));
      rows.add(new Row(s, "creates answered 429", share429, "%", "<= 5", share429 <= 5));
      rows.add(new Row(s, "share of deployment veo-us-central1", us, "%", ">= 25", us >= 25));
      rows.add(new Row(s, "share of deployment veo-europe-west4", eu, "%", ">= 25", eu >= 25));
      rows.add(
          new Row(
              s,
              "makespan",
              makespan,
              "s",
              "<= " + (int) (2 * ideal) + " (2 × " + (int) ideal + " the quotas allow)",
              makespan <= 2 * ideal));
      for (String e : events) rows.add(new Row(s, "event: " + e, 0, "", "", true));
      return rows;
    }
  }

  private static double share(FakeGoogle fake, String location, int accepted) {
    var n = fake.accepted.get(PROJECT + "/" + location);
    return n == null ? 0 : 100.0 * n.get() / Math.max(1, accepted);
  }

  /** Tasks whose prompt the fake did not see created exactly once. */
  private static long badCreates(FakeGoogle fake, String prefix, int n) {
    long bad = 0;
    for (int i = 0; i < n; i++) {
      var c = fake.createsByPrompt.get(prefix + i);
      if (c == null || c.get() != 1) bad++;
    }
    return bad;
  }

  // Shared --------------------------------------------------------------------------------

  private Map<String, String> nodeFlags(Path data, Path deployments) {
    var f = new HashMap<String, String>();
    f.put("port", "0");
    f.put("host", "127.0.0.1");
    f.put("data", data.toString());
    f.put("api-keys", KEY);
    f.put("generator", "veo");
    f.put("deployments", deployments.toString());
    f.put("veo-poll-millis", "1000");
    f.put("poll-millis", "500");
    f.put("lease-seconds", "10");
    f.put("heartbeat-seconds", "2");
    f.put("rate-limit-per-minute", "0");
    f.put("queue-capacity", "100000");
    return f;
  }

  private static Path deploymentsFile(Path dir, FakeGoogle fake, Map<String, int[]> limits)
      throws IOException {
    List<Map<String, Object>> list = new ArrayList<>();
    for (var e : limits.entrySet()) {
      var d = new LinkedHashMap<String, Object>();
      d.put("name", "veo-" + e.getKey());
      d.put("generator", "veo");
      d.put("project", PROJECT);
      d.put("location", e.getKey());
      d.put("credentials", fake.serviceAccountJson(dir).toAbsolutePath().toString());
      d.put("base_url", fake.baseUrl());
      d.put("max_concurrent", e.getValue()[0]);
      if (e.getValue()[1] > 0) d.put("requests_per_minute", e.getValue()[1]);
      list.add(d);
    }
    Path f = dir.resolve("deployments.json");
    Files.writeString(
        f, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Map.of("deployments", list)));
    return f;
  }

  /** Submits {@code n} tasks over the nodes in turn from 8 client threads; returns their ids. */
  private List<String> submitAll(List<TweenProcess> nodes, String prefix, int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> f = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        TweenProcess node = nodes.get(i % nodes.size());
        f.add(pool.submit(() -> submit(node.baseUrl(), prefix + k, k)));
      }
      List<String> ids = new ArrayList<>();
      for (var x : f) ids.add(x.get());
      return ids;
    } finally {
      pool.shutdown();
    }
  }

  private final Map<String, String> baseOf = new ConcurrentHashMap<>();

  private String submit(String base, String prompt, int k) throws Exception {
    String body =
        """
        {"image": "%s", "last_frame_image": "%s", "prompt": "%s", "duration": 4, "seed": %d}"""
            .formatted(
                Images.dataUri(Images.png(64, 36, k % 16)),
                Images.dataUri(Images.png(64, 36, (k + 5) % 16)),
                prompt,
                k);
    String id = BenchHttp.submit(http, base, KEY, body);
    baseOf.put(id, base);
    return id;
  }

  private final Map<String, JsonNode> finalResults = new ConcurrentHashMap<>();

  /**
   * Reads every task's result until all are final (through the first live node); returns seconds
   * from {@code t0} to the last one's completion as the task reports it.
   */
  private double awaitAll(List<TweenProcess> nodes, List<String> ids, long t0, Duration max)
      throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    long firstSubmitMs = System.currentTimeMillis() - (System.nanoTime() - t0) / 1_000_000;
    long last = firstSubmitMs;
    for (String id : ids) {
      while (true) {
        if (System.nanoTime() > deadline)
          throw new IllegalStateException("tasks not done in " + max);
        JsonNode r;
        try {
          r = result(nodes.getFirst().baseUrl(), id);
        } catch (IOException e) {
          Thread.sleep(200);
          continue;
        }
        String status = r.at("/task/status").asText();
        if (status.matches("TASK_STATUS_(SUCCEED|FAILED|CANCELED)")) {
          finalResults.put(id, r);
          String done = r.at("/extra/debug_info/complete_time_ms").asText();
          if (!done.isEmpty()) last = Math.max(last, Long.parseLong(done));
          break;
        }
        Thread.sleep(200);
      }
    }
    return (last - firstSubmitMs) / 1000.0;
  }

  private Map<String, Integer> statuses(List<String> ids) {
    Map<String, Integer> out = new HashMap<>();
    for (String id : ids) {
      JsonNode r = finalResults.get(id);
      String s = r == null ? "unknown" : r.at("/task/status").asText();
      out.merge(s, 1, Integer::sum);
      if (r != null && s.equals("TASK_STATUS_FAILED"))
        System.err.println("  FAILED " + id + ": " + r.at("/task/reason").asText());
    }
    return out;
  }

  private JsonNode result(String base, String id) throws IOException, InterruptedException {
    var r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/v3/async/task-result?task_id=" + id))
                .header("Authorization", "Bearer " + KEY)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IOException("task-result answered " + r.statusCode());
    return JSON.readTree(r.body());
  }

  /** Reads random tasks' results at a steady rate while they run, timing each read. */
  private final class ResultReader {
    private final TweenProcess node;
    private final List<String> ids;
    private final List<Long> latencies;
    private final int perSecond;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Thread thread;

    ResultReader(TweenProcess node, List<String> ids, List<Long> latencies, int perSecond) {
      this.node = node;
      this.ids = ids;
      this.latencies = latencies;
      this.perSecond = perSecond;
    }

    void start() {
      thread =
          Thread.ofPlatform()
              .start(
                  () -> {
                    long period = 1_000_000_000L / perSecond;
                    long next = System.nanoTime();
                    while (running.get()) {
                      String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                      long t = System.nanoTime();
                      try {
                        result(node.baseUrl(), id);
                        latencies.add((System.nanoTime() - t) / 1_000);
                      } catch (Exception e) {
                        latencies.add(Long.MAX_VALUE / 4); // an error counts as the slowest read
                      }
                      next += period;
                      long wait = next - System.nanoTime();
                      if (wait > 0) sleepNanos(wait);
                      else next = System.nanoTime();
                    }
                  });
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
    }
  }

  /** Samples a value four times a second and keeps the largest. */
  private static final class Sampler {
    private final java.util.function.DoubleSupplier value;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong max = new AtomicLong(Double.doubleToLongBits(0));
    private Thread thread;

    Sampler(java.util.function.DoubleSupplier value) {
      this.value = value;
    }

    void start() {
      thread =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    while (running.get()) {
                      double v = value.getAsDouble();
                      max.accumulateAndGet(
                          Double.doubleToLongBits(v),
                          (a, b) ->
                              Double.longBitsToDouble(a) >= Double.longBitsToDouble(b) ? a : b);
                      sleepNanos(250_000_000L);
                    }
                  });
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
    }

    double max() {
      return Double.longBitsToDouble(max.get());
    }
  }

  private static double rssMib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:"))
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    } catch (IOException e) {
      // the process ended
    }
    return 0;
  }

  private static double percentile(List<Long> micros, double p) {
    if (micros.isEmpty()) return Double.NaN;
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1)) / 1000.0;
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(Duration.ofNanos(nanos));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepUntil(long t0, int seconds) {
    long wait = t0 + seconds * 1_000_000_000L - System.nanoTime();
    if (wait > 0) sleepNanos(wait);
  }

  private static double since(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private void write(List<Row> rows, String load) throws IOException {
    Files.createDirectories(out);
    var csv = new StringBuilder("scenario,metric,value,unit,goal,met\n");
    var md =
        new StringBuilder(
            "# Gateway bench\n\n`./tween bench gateway`: real tween processes in front of a fake"
                + " Vertex AI (quotas per project and location), through HTTP. Load average before: "
                + load
                + ". Results are measured, not assumed: a row whose goal is missed says so.\n\n"
                + "| scenario | metric | value | goal | met |\n|---|---|---|---|---|\n");
    for (Row r : rows) {
      String v =
          String.format(
              Locale.ROOT, r.value() == Math.rint(r.value()) ? "%.0f" : "%.1f", r.value());
      csv.append(
          csvRow(
              List.of(r.scenario(), r.metric(), v, r.unit(), r.goal(), Boolean.toString(r.met()))));
      md.append("| ")
          .append(r.scenario())
          .append(" | ")
          .append(r.metric())
          .append(" | ")
          .append(r.metric().startsWith("event:") ? "" : v + " " + r.unit())
          .append(" | ")
          .append(r.goal())
          .append(" | ")
          .append(r.metric().startsWith("event:") ? "" : r.met() ? "yes" : "**no**")
          .append(" |\n");
    }
    Files.writeString(out.resolve("gateway.csv"), csv);
    Files.writeString(out.resolve("gateway.md"), md);
    System.err.println("wrote " + out.resolve("gateway.md"));
  }

  private static String csvRow(List<String> fields) {
    return String.join(",", fields.stream().map(Csv::field).toList()) + "\n";
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList())
        Files.deleteIfExists(p);
    }
  }
}
