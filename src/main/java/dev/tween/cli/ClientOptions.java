package dev.tween.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the server is and which key to use; shared by the client commands. */
final class ClientOptions {
  static final String KEY_HINT = "--key, $TWEEN_KEY, ./data/api-key";

  @Option(
      names = "--server",
      description = "Base URL of a tween server (default: $TWEEN_SERVER or http://localhost:8080).")
  String server;

  @Option(names = "--key", description = "API key (default: $TWEEN_KEY, else ./data/api-key).")
  String key;

  TweenClient client() throws IOException {
    String k = key != null ? key : System.getenv("TWEEN_KEY");
    if (k == null) {
      Path file = Path.of("data/api-key");
      if (!Files.exists(file))
        throw CliException.usage(
            "no API key: pass --key, set $TWEEN_KEY, or run here where ./tween serve wrote"
                + " ./data/api-key");
      k = Files.readString(file).strip();
    }
    return client(k, KEY_HINT);
  }

  /** The server with another key (the admin commands), {@code hint} naming where it is set. */
  TweenClient client(String k, String hint) {
    return new TweenClient(
        server != null
            ? server
            : System.getenv().getOrDefault("TWEEN_SERVER", "http://localhost:8080"),
        k,
        hint);
  }
}
