package dev.tween.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the {@code wrk} load generator (a separate process) with a Lua script and reads the summary
 * the script prints in its {@code done} callback.
 */
final class Wrk {
  private static final Pattern RESULT = Pattern.compile("^RESULT (.*)$", Pattern.MULTILINE);

  /** One measured run. Latencies in microseconds. */
  record Result(
      String scenario,
      String mode,
      int connections,
      double targetRate,
      long requests,
      double seconds,
      long non2xx,
      long socketErrors,
      double p50,
      double p99,
      double p999) {
    double rps() {
      return requests / seconds;
    }

    long errors() {
      return non2xx + socketErrors;
    }
  }

  private final Path workDir;

  Wrk(Path workDir) {
    this.workDir = workDir;
  }

  /** The product never installs packages: `./tween bench` does, as root, before the JVM starts. */
  static void requireInstalled() throws IOException, InterruptedException {
    if (new ProcessBuilder("sh", "-c", "command -v wrk").start().waitFor() == 0) return;
    throw new IOException(
        "wrk is not installed: run the bench through ./tween bench (it installs wrk as root), "
            + "or install it with: sudo apt-get install -y wrk");
  }

  /**
   * A run whose Lua counts answers by status in a {@code counts} table; returns them summed over
   * threads.
   */
  Map<Integer, Long> runCountingStatuses(
      String scenario, String url, String lua, int connections, Duration duration)
      throws IOException, InterruptedException {
    String script =
        """
        threads = {}
        function setup(thread) table.insert(threads, thread) end
        """
            + lua
            + """
        function done(summary, latency, requests)
          local total = {}
          for _, t in ipairs(threads) do
            local c = t:get("counts")
            for status, n in pairs(c) do total[status] = (total[status] or 0) + n end
          end
          for status, n in pairs(total) do io.write(string.format("STATUS %d %d\\n", status, n)) end
          io.write(string.format("STATUS 0 %d\\n", summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
        end
        """;
    Path file = Files.createTempFile(workDir, scenario.replaceAll("\\W", "_"), ".lua");
    Files.writeString(file, script);
    Process p =
        new ProcessBuilder(
                "wrk",
                "-t2",
                "-c" + connections,
                "-d" + duration.toSeconds() + "s",
                "--timeout",
                "10s",
                "-s",
                file.toString(),
                url)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || p.exitValue() != 0)
      throw new IOException("wrk failed: " + out);
    Map<Integer, Long> counts = new java.util.TreeMap<>();
    Matcher m = Pattern.compile("^STATUS (\\d+) (\\d+)$", Pattern.MULTILINE).matcher(out);
    while (m.find())
      counts.merge(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), Long::sum);
    counts.remove(0, 0L);
    return counts;
  }

  /**
   * @param requestLua Lua defining {@code request()} (and optionally {@code init}); the summary
   *     and, when {@code ratePerConnection > 0}, the pacing are added here
   */
  Result run(
      String scenario,
      String url,
      String requestLua,
      int connections,
      Duration duration,
      double totalRate)
      throws IOException, InterruptedException {
    int threads = Math.min(2, connections);
    StringBuilder lua = new StringBuilder(requestLua).append('\n');
    if (totalRate > 0) {
      double perConnectionGapMs = 1000.0 * connections / totalRate;
      lua.append("function delay() return ")
          .append(String.format(java.util.Locale.ROOT, "%.3f", perConnectionGapMs))
          .append(" end\n");
    }
    lua.append(
        """
        function done(summary, latency, requests)
          io.write(string.format("RESULT requests=%d us=%d non2xx=%d socket=%d p50=%.1f p99=%.1f p999=%.1f\\n",
            summary.requests, summary.duration, summary.errors.status,
            summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
            latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
        end
        """);
    Path script = Files.createTempFile(workDir, scenario.replaceAll("\\W", "_"), ".lua");
    Files.writeString(script, lua);
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "wrk",
                "-t" + threads,
                "-c" + connections,
                "-d" + duration.toSeconds() + "s",
                "--timeout",
                "10s",
                "-s",
                script.toString(),
                url));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("wrk failed: " + out);
    }
    Matcher m = RESULT.matcher(out);
    if (!m.find()) throw new IOException("wrk printed no summary: " + out);
    Map<String, String> kv = new java.util.HashMap<>();
    for (String part : m.group(1).split(" ")) {
      String[] p2 = part.split("=", 2);
      kv.put(p2[0], p2[1]);
    }
    return new Result(
        scenario,
        totalRate > 0 ? "fixed-rate" : "max",
        connections,
        totalRate,
        Long.parseLong(kv.get("requests")),
        Long.parseLong(kv.get("us")) / 1e6,
        Long.parseLong(kv.get("non2xx")),
        Long.parseLong(kv.get("socket")),
        Double.parseDouble(kv.get("p50")),
        Double.parseDouble(kv.get("p99")),
        Double.parseDouble(kv.get("p999")));
  }
}
