package dev.tween.cli;

import dev.tween.app.App;
import dev.tween.config.ConfigException;
import dev.tween.config.Setting;
import dev.tween.config.Settings;
import dev.tween.config.TweenConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code ./tween serve}: runs a node until interrupted. Every setting is a {@code --name value}
 * flag.
 */
@Command(name = "serve", description = "Start the tween server (API and workers).")
final class ServeCommand implements Callable<Integer> {

  @Option(
      names = {"-h", "--help"},
      usageHelp = false,
      description = "Show the settings and exit.")
  boolean help;

  @Unmatched List<String> flags = new java.util.ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (help) {
      printSettings();
      return 0;
    }
    TweenConfig config;
    try {
      config = TweenConfig.load(System.getenv(), parseFlags(flags));
    } catch (ConfigException e) {
      System.err.println("tween: " + e.getMessage());
      return 2;
    }
    App app;
    try {
      app =
          App.start(
              config); // a generator may refuse its settings only now (e.g. unreadable credentials)
    } catch (ConfigException e) {
      System.err.println("tween: " + e.getMessage());
      return 2;
    }
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  stopped.countDown();
                },
                "tween-shutdown"));
    System.out.println();
    System.out.println(
        "tween is running at "
            + app.baseUrl()
            + "  (role "
            + config.role().name().toLowerCase()
            + ", generator "
            + String.join(",", config.generators())
            + ", data "
            + config.dataDir()
            + ")");
    if (app.generatedKey()) {
      System.out.println(
          "API key: "
              + app.apiKeys().getFirst()
              + "   (kept in "
              + config.dataDir().resolve("api-key")
              + ")");
    } else {
      System.out.println(
          "API keys: " + app.apiKeys().size() + " configured through TWEEN_API_KEYS / --api-keys");
    }
    System.out.println("Try:  curl -s " + app.baseUrl() + "/healthz");
    System.out.flush();
    stopped.await();
    return 0;
  }

  /** {@code --name value} and {@code --name=value} pairs; a flag with no value is {@code true}. */
  static Map<String, String> parseFlags(List<String> args) {
    var out = new LinkedHashMap<String, String>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--"))
        throw new ConfigException("unexpected argument '" + a + "' (settings are --name value)");
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        value = args.get(++i);
      } else {
        value = "true";
      }
      out.put(name, value);
    }
    return out;
  }

  private static void printSettings() {
    System.out.println("Usage: tween serve [--<setting> <value>]...");
    System.out.println("Every setting can also be given as an environment variable; flags win.\n");
    for (Setting s : Settings.ALL) {
      System.out.printf(
          "  %-24s %-28s default: %s%n      %s%n",
          s.flag(),
          s.envVar(),
          s.defaultValue().isEmpty() ? "(empty)" : s.defaultValue(),
          s.description());
    }
  }
}
