package dev.tween.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./tween bench uploads}: a node started by the launcher ({@code ./tween serve}, so with its
 * JVM options) receives parallel maximum-size submit bodies; its peak resident memory (VmHWM) and
 * every answer's latency are reported, and the time to refuse one over-20 MiB image.
 */
@Command(
    name = "uploads",
    description =
        "Resident memory and latency under parallel maximum-size submits (results in bench/results/).")
public final class UploadBench implements Callable<Integer> {
  private static final String KEY = "bench-key";

  @Option(
      names = "--clients",
      defaultValue = "8",
      description = "Parallel clients (default ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--rounds",
      defaultValue = "2",
      description = "Bursts of parallel submits (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--out",
      defaultValue = "bench/results",
      description = "Output directory (default ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    Path work = Files.createDirectories(Path.of("bench/work"));
    Path data = Files.createTempDirectory(work, "uploads-");
    byte[] a = noisePng(2830, 2290, 1);
    byte[] b = noisePng(2830, 2290, 2);
    byte[] huge = java.util.Arrays.copyOf(a, 39_000_000);
    byte[] over = java.util.Arrays.copyOf(a, 25 << 20);
    Path accepted = body(data.resolve("accepted.json"), a, b);
    Path refused = body(data.resolve("refused.json"), huge, new byte[0]);
    Path tooBig = body(data.resolve("too-big.json"), over, new byte[0]);
    var md =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                """
        # bench uploads — %s

        %s Node: `./tween serve` through the launcher (its JVM options; TWEEN_JAVA_OPTS=%s), no workers,
        a fresh node per row. %d rounds of %d parallel submits of a ~%.0f MiB body each, sent from files.
        Machine load (1 min) at the start: %s.

        | bodies | node heap max | large bodies at once | node RSS idle | node peak RSS (VmHWM) | slowest answer | median answer | answers |
        |---|---|---|---|---|---|---|---|
        """,
                java.time.LocalDateTime.now().withNano(0),
                ApiBench.cpuLine(),
                System.getenv().getOrDefault("TWEEN_JAVA_OPTS", "(unset)"),
                rounds,
                clients,
                Files.size(accepted) / 1048576.0,
                ApiBench.loadAverage()));
    md.append(row(data, "one image of 39 MB (refused: over 20 MiB)", refused, null));
    md.append(
        row(
            data,
            String.format(
                Locale.ROOT, "two noise PNGs of %.1f MB (accepted, stored)", a.length / 1e6),
            accepted,
            null));
    var refusal = new ArrayList<Double>();
    row(
        data,
        "",
        null,
        () -> {
          for (int i = 0; i < 7; i++) refusal.add(timed(http(), baseOf, tooBig)[1] * 1000);
        });
    List<Double> sorted = refusal.stream().sorted().toList();
    md.append(
        String.format(
            Locale.ROOT,
            """

        One %.1f MiB body whose image decodes to 25 MiB, answered 400 `image: decodes to … bytes` in
        **%.0f ms** (median of 7; min %.0f, max %.0f), measured at the client, body upload included.
        """,
            Files.size(tooBig) / 1048576.0,
            sorted.get(3),
            sorted.getFirst(),
            sorted.getLast()));
    Files.createDirectories(out);
    Files.writeString(out.resolve("uploads.md"), md);
    System.out.print(md);
    return 0;
  }

  private String baseOf;

  private static HttpClient http() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  /** One fresh node; either the parallel rounds with {@code body}, or {@code other} against it. */
  private String row(Path data, String name, Path body, Runnable other) throws Exception {
    Path dir = Files.createTempDirectory(data, "node-");
    var cmd =
        List.of(
            "./tween",
            "serve",
            "--port",
            "0",
            "--host",
            "127.0.0.1",
            "--data",
            dir.toString(),
            "--workers",
            "0",
            "--api-keys",
            KEY,
            "--rate-limit-per-minute",
            "0",
            "--queue-capacity",
            "100000");
    Path log = dir.resolve("node.log");
    var pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("TWEEN_LOG_FORMAT", "TEXT");
    Process node = pb.start();
    try {
      baseOf = ServeProcess.awaitUrl(node);
      if (other != null) {
        other.run();
        return "";
      }
      var http = http();
      send(http, baseOf, body); // warm-up
      long idleRss = status(node.pid(), "VmRSS:");
      List<Double> seconds = new ArrayList<>();
      List<Integer> statuses = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        List<CompletableFuture<double[]>> all = new ArrayList<>();
        for (int c = 0; c < clients; c++)
          all.add(CompletableFuture.supplyAsync(() -> timed(http, baseOf, body)));
        for (var f : all) {
          double[] v = f.get(2, TimeUnit.MINUTES);
          statuses.add((int) v[0]);
          seconds.add(v[1]);
        }
      }
      long peak = status(node.pid(), "VmHWM:");
      String bound =
          Files.readAllLines(log).stream()
              .filter(l -> l.contains("event=large_bodies_bounded"))
              .findFirst()
              .orElse("");
      List<Double> sorted = seconds.stream().sorted().toList();
      return String.format(
          Locale.ROOT,
          "| %s | %s MiB | %s | %d MiB | **%d MiB** | **%.2f s** | %.2f s | %s |%n",
          name,
          field(bound, "heap_max_mib="),
          field(bound, "at_once="),
          idleRss >> 10,
          peak >> 10,
          sorted.getLast(),
          sorted.get(sorted.size() / 2),
          summary(statuses));
    } finally {
      node.destroy();
      node.waitFor(15, TimeUnit.SECONDS);
    }
  }

  private static String field(String line, String key) {
    int at = line.indexOf(key);
    return at < 0 ? "?" : line.substring(at + key.length()).split("[\\s\"]")[0];
  }

  private static Path body(Path file, byte[] first, byte[] last) throws IOException {
    String lastField =
        last.length == 0
            ? "https://example.com/last.png"
            : Base64.getEncoder().encodeToString(last);
    Files.writeString(
        file,
        "{\"image\":\"data:image/png;base64,"
            + Base64.getEncoder().encodeToString(first)
            + "\",\"last_frame_image\":\""
            + lastField
            + "\",\"prompt\":\"uploads\",\"duration\":4}",
        StandardCharsets.US_ASCII);
    return file;
  }

  private static byte[] noisePng(int w, int h, long seed) throws IOException {
    var img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
    var random = new SplittableRandom(seed);
    for (int i = 0; i < px.length; i++) px[i] = (byte) random.nextInt(256);
    var bytes = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", bytes);
    return bytes.toByteArray();
  }

  private static double[] timed(HttpClient http, String base, Path body) {
    long t0 = System.nanoTime();
    try {
      int status = send(http, base, body);
      return new double[] {status, (System.nanoTime() - t0) / 1e9};
    } catch (Exception e) {
      System.err.println("bench: a submit failed: " + e);
      return new double[] {-1, (System.nanoTime() - t0) / 1e9};
    }
  }

  private static int send(HttpClient http, String base, Path body)
      throws IOException, InterruptedException {
    var r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/v3/async/veo-3.1-lite-flf2v"))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofFile(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode();
  }

  private static String summary(List<Integer> statuses) {
    var counts = new java.util.TreeMap<Integer, Integer>();
    statuses.forEach(s -> counts.merge(s, 1, Integer::sum));
    var sb = new StringBuilder();
    counts.forEach(
        (s, n) ->
            sb.append(sb.isEmpty() ? "" : ", ")
                .append(n)
                .append(" × ")
                .append(s < 0 ? "error" : s));
    return sb.toString();
  }

  private static long status(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field))
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
    }
    throw new IOException(field + " not found for pid " + pid);
  }
}
