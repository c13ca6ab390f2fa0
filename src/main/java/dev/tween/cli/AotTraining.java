package dev.tween.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.app.App;
import dev.tween.config.TweenConfig;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tween aot-training serve|generate}: a short run of the command, for the build to record
 * the JDK's start-up cache from (the launcher runs it under {@code -XX:AOTCacheOutput} once per
 * build; see README, "Start-up"). {@code generate} makes a 4 s 720p clip through the command line;
 * {@code serve} starts a node on a scratch directory and makes one through its HTTP API.
 */
@Command(
    name = "aot-training",
    hidden = true,
    description =
        "A short run of serve or generate to train the start-up cache (the build runs it).")
final class AotTraining implements Callable<Integer> {
  private static final String KEY = "aot-training";

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "COMMAND", description = "serve or generate")
  String what;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("tween-aot-");
    try {
      Path first = keyframe(dir.resolve("first.png"), 0);
      Path last = keyframe(dir.resolve("last.png"), 48);
      return switch (what) {
        case "generate" -> generate(first, last, dir);
        case "serve" -> serve(first, last, dir);
        default -> throw CliException.usage("aot-training: serve or generate, got " + what);
      };
    } finally {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      }
    }
  }

  private int generate(Path first, Path last, Path dir) {
    return spec.root()
        .commandLine()
        .execute(
            "generate",
            "--first",
            first.toString(),
            "--last",
            last.toString(),
            "--prompt",
            "training",
            "--duration",
            "4",
            "--out",
            dir.resolve("clip.mp4").toString());
  }

  private static int serve(Path first, Path last, Path dir) throws Exception {
    var flags =
        Map.of(
            "data", dir.resolve("data").toString(),
            "host", "127.0.0.1",
            "port", "0",
            "api-keys", KEY,
            "workers", "1");
    try (App app = App.start(TweenConfig.load(Map.of(), flags))) {
      var client = new TweenClient(app.baseUrl(), KEY, "");
      var body = TweenClient.newBody();
      body.put("image", Base64.getEncoder().encodeToString(Files.readAllBytes(first)));
      body.put("last_frame_image", Base64.getEncoder().encodeToString(Files.readAllBytes(last)));
      body.put("prompt", "training");
      body.put("duration", 4);
      String id = client.submit(client.route(null), body);
      JsonNode done = client.waitFor(id, r -> {});
      if (!done.at("/task/status").asText().equals("TASK_STATUS_SUCCEED"))
        throw CliException.failed("training task ended " + done.at("/task"));
      client.download(done.at("/videos/0/video_url").asText(), dir.resolve("clip.mp4"));
      client.call("GET", "/v3/async/tasks", null);
      var http = HttpClient.newHttpClient();
      for (String path : new String[] {"/healthz", "/readyz", "/metrics", "/", "/openapi.json"}) {
        http.send(
            HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).build(),
            HttpResponse.BodyHandlers.discarding());
      }
    }
    return 0;
  }

  /**
   * A 1280×720 PNG of random tiles (the same for both frames), shifted right by {@code shift}
   * pixels: texture for the feature matching and the optical flow to work on.
   */
  private static Path keyframe(Path file, int shift) throws IOException {
    var random = new java.util.Random(7);
    var img = new BufferedImage(1280, 720, BufferedImage.TYPE_3BYTE_BGR);
    var g = img.createGraphics();
    for (int y = 0; y < 720; y += 40) {
      for (int x = -80; x < 1280; x += 40) {
        g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
        g.fillRect(x + shift, y, 40, 40);
      }
    }
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
    return file;
  }
}
