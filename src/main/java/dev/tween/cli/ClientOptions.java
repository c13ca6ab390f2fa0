package dev.tween.cli;

import picocli.CommandLine.Option;

/** Where the server is and which key to use; shared by the client commands. */
final class ClientOptions {
  @Option(
      names = "--server",
      description = "Base URL of a tween server (default: $TWEEN_SERVER or http://localhost:8080).")
  String server;

  @Option(names = "--key", description = "API key (default: $TWEEN_KEY, else ./data/api-key).")
  String key;

  TweenClient client() throws java.io.IOException {
    String k = key != null ? key : System.getenv("TWEEN_KEY");
    if (k == null) {
      var file = java.nio.file.Path.of("data/api-key");
      if (!java.nio.file.Files.exists(file))
        throw new java.io.IOException("no API key: pass --key or set TWEEN_KEY");
      k = java.nio.file.Files.readString(file).strip();
    }
    return client(k);
  }

  /** The server with another key (the admin commands). */
  TweenClient client(String k) {
    return new TweenClient(
        server != null
            ? server
            : System.getenv().getOrDefault("TWEEN_SERVER", "http://localhost:8080"),
        k);
  }
}
