package dev.tween.bench;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The first command a person runs, each in a new JVM through the launcher: {@code ./tween generate}
 * of an 8 s 720p clip (process start to exit) and {@code ./tween serve} on an empty data directory
 * until {@code /healthz} answers; with the build's start-up cache and without it ({@code
 * TWEEN_AOT=off}), alternating, the fastest of each counts. The bench interleaves the rounds with
 * its in-process runs, so that both see the same load.
 */
final class ColdStart {
  /** Fastest seconds with and without the start-up cache; NaN where there is no cache. */
  record Timing(double withCache, double withoutCache) {}

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /**
   * Whether the start-up caches exist. Each command records its own when it is missing or stale
   * (once per build, on a JDK 25+), so this asks {@code serve} and {@code generate} for their help.
   * On a JDK 25+ a missing cache is an error: the "with the cache" rows would time a run without
   * one.
   */
  static boolean cacheMade() throws Exception {
    for (String command : new String[] {"serve", "generate"}) {
      Process p =
          new ProcessBuilder("./tween", command, "--help")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0)
        throw new IllegalStateException("./tween " + command + " --help failed");
    }
    boolean made =
        Files.isRegularFile(Path.of("target/aot/serve.aot"))
            && Files.isRegularFile(Path.of("target/aot/generate.aot"));
    if (!made && Runtime.version().feature() >= 25 && !"off".equals(System.getenv("TWEEN_AOT")))
      throw new IllegalStateException(
          "JDK "
              + Runtime.version().feature()
              + " but no start-up cache under target/aot/ (its *.log says why)");
    return made;
  }

  private final Path first;
  private final Path last;
  private final Path work;
  private final boolean cache;
  private final double[] generate = {Double.MAX_VALUE, Double.MAX_VALUE};
  private final double[] serve = {Double.MAX_VALUE, Double.MAX_VALUE};

  ColdStart(Path first, Path last, Path work) throws Exception {
    this.first = first;
    this.last = last;
    this.work = work;
    this.cache = cacheMade();
  }

  /** One round: generate, then serve, with the cache (when there is one), then without. */
  void round() throws Exception {
    for (int off = cache ? 0 : 1; off < 2; off++) {
      generate[off] = Math.min(generate[off], generate(off == 1, first, last, work));
      serve[off] = Math.min(serve[off], serve(off == 1, work));
    }
  }

  /** {generate, serve}, the fastest of the rounds each. */
  Timing[] timings() {
    return new Timing[] {
      new Timing(cache ? generate[0] : Double.NaN, generate[1]),
      new Timing(cache ? serve[0] : Double.NaN, serve[1])
    };
  }

  private static Map<String, String> env(boolean noCache) {
    return noCache ? Map.of("TWEEN_AOT", "off") : Map.of();
  }

  private static double generate(boolean noCache, Path first, Path last, Path work)
      throws Exception {
    var pb =
        new ProcessBuilder(
                "./tween",
                "generate",
                "--first",
                first.toString(),
                "--last",
                last.toString(),
                "--prompt",
                "bench",
                "--duration",
                "8",
                "--resolution",
                "720p",
                "--out",
                work.resolve("cold.mp4").toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("cold.log").toFile());
    pb.environment().putAll(env(noCache));
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0)
      throw new IllegalStateException("./tween generate failed, see " + work.resolve("cold.log"));
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double serve(boolean noCache, Path work) throws Exception {
    Path data = work.resolve("cold-node");
    if (Files.exists(data)) {
      try (var files = Files.walk(data)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
      }
    }
    int port = ServeProcess.freePort();
    var healthz =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long t0 = System.nanoTime();
    Process node =
        ServeProcess.start(
            List.of(
                "--port", Integer.toString(port), "--host", "127.0.0.1", "--data", data.toString()),
            env(noCache),
            work.resolve("cold-node.log"));
    try {
      while (true) {
        try {
          if (HTTP.send(healthz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200)
            return (System.nanoTime() - t0) / 1e9;
        } catch (ConnectException e) {
          // not listening yet
        }
        if (!node.isAlive()) throw new IllegalStateException("./tween serve ended");
        if (System.nanoTime() - t0 > 120_000_000_000L)
          throw new IllegalStateException("no /healthz within 2 min");
        Thread.sleep(10);
      }
    } finally {
      ServeProcess.stop(node);
    }
  }
}
