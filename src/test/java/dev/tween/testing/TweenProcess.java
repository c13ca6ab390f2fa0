package dev.tween.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code tween serve} process started from the packaged jar, for crash and multi-node tests.
 */
public final class TweenProcess implements AutoCloseable {
  private static final Pattern URL = Pattern.compile("tween is running at (http://\\S+)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final String baseUrl;
  private final Path log;

  private TweenProcess(Process process, String baseUrl, Path log) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.log = log;
  }

  public static Path jar() {
    Path jar = Path.of("target/tween.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar))
      throw new IllegalStateException(jar + " is missing: run `mvn package` (./tween test does)");
    return jar;
  }

  /** Starts {@code tween serve} with the flags and waits until it printed its URL. */
  public static TweenProcess start(Map<String, String> flags, Path log)
      throws IOException, InterruptedException {
    return start(flags, Map.of(), log);
  }

  /** Same, with extra environment variables (e.g. the standard AWS credentials). */
  public static TweenProcess start(Map<String, String> flags, Map<String, String> env, Path log)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx1g",
                "-jar",
                jar().toString(),
                "serve"));
    flags.forEach(
        (k, v) -> {
          cmd.add("--" + k);
          cmd.add(v);
        });
    var pb = new ProcessBuilder(cmd).redirectErrorStream(false);
    pb.environment().put("TWEEN_LOG_FORMAT", "TEXT");
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    var reader =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> url =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                String line;
                while ((line = reader.readLine()) != null) {
                  Matcher m = URL.matcher(line);
                  if (m.find()) return m.group(1);
                }
                return null;
              } catch (IOException e) {
                return null;
              }
            });
    try {
      String u = url.get(60, TimeUnit.SECONDS);
      if (u == null) throw new IOException("tween exited before printing its URL; see " + log);
      Thread.ofVirtual().start(() -> drain(reader));
      return new TweenProcess(p, u, log);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      p.destroyForcibly();
      throw new IOException("tween did not start within 60 s; see " + log, e);
    }
  }

  private static void drain(BufferedReader r) {
    try {
      while (r.readLine() != null) {
        // keep the pipe empty
      }
    } catch (IOException ignored) {
      // process ended
    }
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** GET {@code path}, or POST {@code json} to it when given, with the key. */
  public HttpResponse<String> call(String path, String key, String json)
      throws IOException, InterruptedException {
    var b =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + key);
    if (json != null)
      b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook, no cleanup, exactly like a crash or the OOM killer. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) kill9();
  }

  public static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
