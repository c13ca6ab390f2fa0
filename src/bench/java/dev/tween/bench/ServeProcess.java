package dev.tween.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A node started the way a person starts one, {@code ./tween serve}, for the benches. */
final class ServeProcess {
  private ServeProcess() {}

  /**
   * {@code ./tween serve} with {@code flags}, its log (stderr, as text) appended to {@code log}.
   */
  static Process start(List<String> flags, Map<String, String> env, Path log) throws IOException {
    var cmd = new ArrayList<>(List.of("./tween", "serve"));
    cmd.addAll(flags);
    var pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("TWEEN_LOG_FORMAT", "TEXT");
    pb.environment().putAll(env);
    return pb.start();
  }

  /** The URL the node printed once it listens; its further output is drained. */
  static String awaitUrl(Process p) throws Exception {
    var reader =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    var url =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line; (line = reader.readLine()) != null; ) {
                  int at = line.indexOf("tween is running at ");
                  if (at >= 0) return line.substring(at + 20).split("\\s")[0];
                }
              } catch (IOException ignored) {
                // the node ended
              }
              return null;
            });
    String u = url.get(3, TimeUnit.MINUTES);
    if (u == null) throw new IOException("./tween serve exited before printing its URL");
    Thread.ofVirtual().start(() -> reader.lines().forEach(l -> {}));
    return u;
  }

  static int freePort() throws IOException {
    try (var s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
  }
}
