package dev.tween.bench;

import dev.tween.testing.Bodies;
import dev.tween.testing.FakeGenerator;
import dev.tween.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./tween bench outage}: how fast a node answers while its PostgreSQL is stopped ({@code
 * pg_ctl stop}) or frozen (SIGSTOP, like a partition), per route, against the README's limit of 2
 * s. Every route is called every 50 ms from a second before the outage to its end; the answers to
 * requests sent during the outage are reported.
 */
@Command(
    name = "outage",
    description = "Answer times per route while PostgreSQL is stopped or frozen.")
public final class OutageBench implements Callable<Integer> {
  private static final String ADMIN = "bench-admin-key";
  private static final Pattern TASK_ID = Pattern.compile("\"task_id\"\\s*:\\s*\"([^\"]+)\"");
  private static final Duration PACE = Duration.ofMillis(50);
  private static final long LIMIT_MS = 2_000;
  private static final List<String> ROUTES =
      List.of(
          "submit",
          "task-result",
          "submit, budgeted key",
          "task-result, budgeted key",
          "usage, budgeted key",
          "readyz");

  @Option(
      names = "--seconds",
      defaultValue = "8",
      description = "How long each outage lasts (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--rounds",
      defaultValue = "2",
      description = "Outages of each kind (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--out",
      defaultValue = "bench/results",
      description = "Output directory (default ${DEFAULT-VALUE}).")
  Path out;

  /** How the database goes away, and the node's socket timeout while it does. */
  enum Kind {
    STOPPED("stopped (pg_ctl stop -m fast)", 5),
    FROZEN("frozen (SIGSTOP), socket timeout 5 s (default)", 5),
    FROZEN_1S("frozen (SIGSTOP), socket timeout 1 s", 1);

    final String label;
    final int socketTimeoutSeconds;

    Kind(String label, int socketTimeoutSeconds) {
      this.label = label;
      this.socketTimeoutSeconds = socketTimeoutSeconds;
    }
  }

  record Answer(Kind kind, String route, int status, boolean retryAfter, long millis) {}

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Override
  public Integer call() throws Exception {
    String loadBefore = SpeedBench.loadAverage();
    List<Answer> answers = new ArrayList<>();
    try (LocalPostgres pg = LocalPostgres.startPrivate()) {
      for (Kind kind : Kind.values()) {
        for (int r = 0; r < rounds; r++) {
          System.err.printf("%s, round %d ...%n", kind.label, r + 1);
          answers.addAll(round(pg, kind));
        }
      }
    }
    write(answers, loadBefore + ", after: " + SpeedBench.loadAverage());
    return 0;
  }

  /** One outage of {@code kind} on a fresh node and database; the answers sent during it. */
  private List<Answer> round(LocalPostgres pg, Kind kind) throws Exception {
    Path dir = Files.createDirectories(Path.of("bench/work/outage", UUID.randomUUID().toString()));
    Path prices =
        Files.writeString(
            dir.resolve("prices.json"),
            "{\"currency\":\"USD\",\"models\":{\"fake\":{\"default\":0.1}}}");
    Map<String, String> flags =
        Map.of(
            "db-url", pg.freshDatabase(),
            "db-user", LocalPostgres.USER,
            "admin-key", ADMIN,
            "prices", prices.toString(),
            "db-socket-timeout-seconds", Integer.toString(kind.socketTimeoutSeconds));
    try (TestNode node = TestNode.start(dir, Optional.of(FakeGenerator.instant()), flags)) {
      var created =
          node.post(
              "/v1/admin/keys",
              ADMIN,
              "{\"name\": \"bench\", \"budget\": {\"amount\": 100000, \"period\": \"month\"}}");
      String budgeted = TestNode.json(created.body()).get("key").asText();
      String plainTask = finished(node, TestNode.KEY);
      String budgetedTask = finished(node, budgeted);
      List<HttpRequest.Builder> requests =
          List.of(
              submit(node, TestNode.KEY),
              get(node, "/v3/async/task-result?task_id=" + plainTask, null),
              submit(node, budgeted),
              get(node, "/v3/async/task-result?task_id=" + budgetedTask, budgeted),
              get(node, "/v1/usage?group_by=model", budgeted),
              get(node, "/readyz", null));
      Map<String, HttpRequest.Builder> routes = new LinkedHashMap<>();
      for (int i = 0; i < ROUTES.size(); i++) routes.put(ROUTES.get(i), requests.get(i));
      return during(pg, kind, routes);
    }
  }

  /** Calls every route every 50 ms from a second before the outage to its end. */
  private List<Answer> during(LocalPostgres pg, Kind kind, Map<String, HttpRequest.Builder> routes)
      throws Exception {
    List<Answer> answers = new CopyOnWriteArrayList<>();
    var phase = new java.util.concurrent.atomic.AtomicInteger(); // 0 before, 1 during, 2 after
    List<Thread> callers = new ArrayList<>();
    routes.forEach(
        (route, request) ->
            callers.add(
                Thread.ofPlatform()
                    .start(
                        () -> {
                          do {
                            boolean during = phase.get() == 1;
                            Answer a = call(kind, route, request);
                            if (during) answers.add(a);
                          } while (phase.get() < 2 && pause());
                        })));
    Thread.sleep(1_000);
    phase.set(1);
    if (kind == Kind.STOPPED) pg.pause();
    else pg.freeze();
    try {
      Thread.sleep(seconds * 1_000L);
    } finally {
      phase.set(2);
      if (kind == Kind.STOPPED) pg.resume();
      else pg.thaw();
    }
    for (Thread t : callers) t.join(Duration.ofSeconds(30));
    return answers;
  }

  /** One call; status 0 when it got no answer. */
  private Answer call(Kind kind, String route, HttpRequest.Builder request) {
    long t0 = System.nanoTime();
    try {
      var r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          kind,
          route,
          r.statusCode(),
          r.headers().firstValue("Retry-After").isPresent(),
          (System.nanoTime() - t0) / 1_000_000);
    } catch (java.io.IOException e) {
      return new Answer(kind, route, 0, false, (System.nanoTime() - t0) / 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(kind, route, 0, false, (System.nanoTime() - t0) / 1_000_000);
    }
  }

  /** The pace of a route's calls; false when interrupted. */
  private static boolean pause() {
    try {
      Thread.sleep(PACE.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String finished(TestNode node, String key) throws Exception {
    var r = http.send(submit(node, key).build(), HttpResponse.BodyHandlers.ofString());
    Matcher m = TASK_ID.matcher(r.body());
    if (r.statusCode() != 200 || !m.find())
      throw new IllegalStateException("submit answered " + r.statusCode() + ": " + r.body());
    String id = m.group(1);
    for (int i = 0; i < 200; i++) {
      var result =
          http.send(
              get(node, "/v3/async/task-result?task_id=" + id, key).build(),
              HttpResponse.BodyHandlers.ofString());
      if (TestNode.json(result.body()).at("/task/status").asText().equals("TASK_STATUS_SUCCEED"))
        return id;
      Thread.sleep(100);
    }
    throw new IllegalStateException("task " + id + " did not succeed within 20 s");
  }

  private static HttpRequest.Builder submit(TestNode node, String key) {
    return HttpRequest.newBuilder(URI.create(node.url("/v3/async/veo-3.1-lite-flf2v")))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(Bodies.simple(1)));
  }

  private static HttpRequest.Builder get(TestNode node, String path, String key) {
    var b =
        HttpRequest.newBuilder(URI.create(node.url(path))).timeout(Duration.ofSeconds(30)).GET();
    return b.header("Authorization", "Bearer " + (key == null ? TestNode.KEY : key));
  }

  private void write(List<Answer> answers, String load) throws Exception {
    Files.createDirectories(out);
    var csv =
        new StringBuilder(
            "outage,route,answers,status_200,status_503,status_500,other,with_retry_after,median_ms,p99_ms,max_ms,within_2s\n");
    var md =
        new StringBuilder(
            "# bench outage — "
                + LocalDateTime.now().withNano(0)
                + "\n\n"
                + ApiBench.cpuLine()
                + " One node on a PostgreSQL of its own (initdb), "
                + rounds
                + " outage(s) of "
                + seconds
                + " s of each kind; every route called every 50 ms by a client of its own. The"
                + " answers to requests sent during the outage (other = no answer within 30 s)."
                + " Load average: "
                + load
                + " (the machine is shared).\n\n"
                + "| outage | route | answers | 200 / 503 / 500 / other | 503 with Retry-After |"
                + " median | p99 | max | within 2 s |\n|---|---|---|---|---|---|---|---|---|\n");
    for (Kind kind : Kind.values()) {
      for (String route : ROUTES) {
        List<Answer> g =
            answers.stream().filter(a -> a.kind() == kind && a.route().equals(route)).toList();
        if (!g.isEmpty()) row(g, csv, md);
      }
    }
    Files.writeString(out.resolve("outage.csv"), csv);
    Files.writeString(out.resolve("outage.md"), md);
    System.out.print(md);
  }

  /** One line of the report: the answers of one route during outages of one kind. */
  private static void row(List<Answer> g, StringBuilder csv, StringBuilder md) {
    Answer first = g.getFirst();
    long[] ms = g.stream().mapToLong(Answer::millis).sorted().toArray();
    long s200 = g.stream().filter(a -> a.status() == 200).count();
    long s503 = g.stream().filter(a -> a.status() == 503).count();
    long s500 = g.stream().filter(a -> a.status() == 500).count();
    long other = g.size() - s200 - s503 - s500;
    long retry = g.stream().filter(a -> a.status() == 503 && a.retryAfter()).count();
    long within = g.stream().filter(a -> a.millis() <= LIMIT_MS).count();
    long median = ms[ms.length / 2];
    long p99 = ms[Math.min(ms.length - 1, (int) Math.ceil(ms.length * 0.99) - 1)];
    long max = ms[ms.length - 1];
    long[] n = {g.size(), s200, s503, s500, other, retry, median, p99, max, within};
    csv.append(Csv.field(first.kind().label))
        .append(',')
        .append(Csv.field(first.route()))
        .append(LongStream.of(n).mapToObj(v -> "," + v).collect(Collectors.joining()))
        .append('\n');
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %d | %d / %d / %d / %d | %d of %d | %d ms | %d ms | %d ms | %.1f %% |%n",
            first.kind().label,
            first.route(),
            n[0],
            n[1],
            n[2],
            n[3],
            n[4],
            n[5],
            n[2],
            n[6],
            n[7],
            n[8],
            100.0 * within / g.size()));
  }
}
