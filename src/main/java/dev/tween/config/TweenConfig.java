package dev.tween.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The whole validated configuration of one node. Built once at start-up by {@link #load}. */
public record TweenConfig(
    int port,
    String host,
    Path dataDir,
    String publicUrl,
    List<String> apiKeys,
    Role role,
    List<String> generators,
    int workers,
    int workerNice,
    String dbUrl,
    String dbUser,
    String dbPassword,
    int dbPoolSize,
    Duration dbSocketTimeout,
    String storageUrl,
    Duration videoUrlTtl,
    Storage storage,
    String submitRoute,
    List<String> submitAliases,
    long maxBodyBytes,
    Duration lease,
    Duration heartbeat,
    Duration poll,
    int maxFailures,
    int maxCrashes,
    Duration retryBase,
    boolean fetchAllowPrivate,
    int rateLimitPerMinute,
    int rateLimitBurst,
    int queueCapacity,
    String webhookSecret,
    String adminKey,
    Optional<Path> prices,
    List<DeploymentSpec> deployments,
    Duration upstreamTimeout,
    Duration veoPoll,
    Duration omniPoll,
    S3 s3,
    Map<String, String> raw) {

  /**
   * How storage stays bounded: a finished task's files are deleted {@code retention} after it
   * ended; below {@code minFreeBytes} free under the data directory the node takes no new work.
   */
  public record Storage(Duration retention, long minFreeBytes) {}

  /** S3 storage settings; used when {@code storageUrl} is {@code s3://…}. */
  public record S3(Optional<URI> endpoint, String region, boolean pathStyle, boolean presign) {}

  public enum Role {
    ALL,
    API,
    WORKER;

    public boolean servesApi() {
      return this != WORKER;
    }

    public boolean runsWorkers() {
      return this != API;
    }
  }

  /** Defaults only: what {@code ./tween serve} uses with no flags and no environment. */
  public static TweenConfig defaults() {
    return load(Map.of(), Map.of());
  }

  /**
   * Resolves every setting from flags (highest), then {@code TWEEN_*} environment variables, then
   * the default, and validates it; a bad value fails with a message naming the flag and variable.
   */
  public static TweenConfig load(Map<String, String> env, Map<String, String> flags) {
    var v = new Values(env, flags);
    Path data = Path.of(v.text("data")).toAbsolutePath().normalize();
    int port = v.intIn("port", 0, 65535);
    String dbUrl =
        v.text("db-url").isBlank() ? "jdbc:sqlite:" + data.resolve("tween.db") : v.text("db-url");
    if (!dbUrl.startsWith("jdbc:sqlite:") && !dbUrl.startsWith("jdbc:postgresql:")) {
      throw v.invalid("db-url", "must start with jdbc:sqlite: or jdbc:postgresql:");
    }
    String storage =
        v.text("storage-url").isBlank()
            ? data.resolve("blobs").toUri().toString()
            : v.text("storage-url");
    if (!storage.startsWith("file:") && !storage.startsWith("s3://")) {
      throw v.invalid("storage-url", "must be a file: URI or s3://bucket/prefix");
    }
    List<String> generators =
        v.list("generator").stream().map(g -> g.toLowerCase(java.util.Locale.ROOT)).toList();
    if (generators.isEmpty())
      throw v.invalid("generator", "must name at least one of " + String.join(", ", GENERATORS));
    for (String g : generators) {
      if (!GENERATORS.contains(g))
        throw v.invalid(
            "generator",
            "must be one or more of " + String.join(", ", GENERATORS) + ", got '" + g + "'");
    }
    if (generators.stream().distinct().count() < generators.size())
      throw v.invalid("generator", "names a generator twice");
    String route = v.text("submit-route");
    List<String> aliases = v.list("submit-aliases");
    for (String r : concat(route, aliases)) {
      if (!r.startsWith("/"))
        throw v.invalid(
            r.equals(route) ? "submit-route" : "submit-aliases", "paths must start with /");
    }
    Duration lease = Duration.ofSeconds(v.intIn("lease-seconds", 5, 3600));
    Duration heartbeat = Duration.ofSeconds(v.intIn("heartbeat-seconds", 1, 3600));
    if (heartbeat.compareTo(lease.dividedBy(2)) > 0) {
      throw v.invalid(
          "heartbeat-seconds", "must be at most half of lease-seconds (" + lease.toSeconds() + ")");
    }
    return new TweenConfig(
        port,
        v.text("host"),
        data,
        stripSlash(v.text("public-url")),
        v.list("api-keys"),
        Role.valueOf(v.oneOf("role", "all", "api", "worker").toUpperCase(java.util.Locale.ROOT)),
        generators,
        v.intIn("workers", 0, 64),
        v.intIn("worker-nice", 0, 19),
        dbUrl,
        v.text("db-user"),
        v.text("db-password"),
        v.intIn("db-pool-size", 2, 200),
        Duration.ofSeconds(v.intIn("db-socket-timeout-seconds", 1, 3600)),
        storage,
        Duration.ofSeconds(v.intIn("video-url-ttl", 60, 7 * 24 * 3600)),
        new Storage(retention(v), v.longIn("min-free-bytes", 0, 1L << 50)),
        route,
        aliases,
        v.longIn("max-body-bytes", 1024, 1L << 32),
        lease,
        heartbeat,
        Duration.ofMillis(v.intIn("poll-millis", 10, 60_000)),
        v.intIn("max-failures", 1, 100),
        v.intIn("max-crashes", 1, 100),
        Duration.ofSeconds(v.intIn("retry-base-seconds", 0, 3600)),
        v.bool("fetch-allow-private"),
        v.intIn("rate-limit-per-minute", 0, 1_000_000),
        v.intIn("rate-limit-burst", 1, 1_000_000),
        v.intIn("queue-capacity", 1, 100_000_000),
        webhookSecret(v),
        v.text("admin-key"),
        prices(v),
        deployments(v, env, generators),
        Duration.ofMinutes(v.intIn("upstream-timeout-minutes", 1, 24 * 60)),
        Duration.ofMillis(v.intIn("veo-poll-millis", 10, 600_000)),
        Duration.ofMillis(v.intIn("omni-poll-millis", 10, 600_000)),
        s3(v, storage),
        v.resolved());
  }

  /** The generators a node can serve, in the order the README lists them. */
  public static final List<String> GENERATORS = List.of("local", "veo", "omni", "comfyui");

  /** The generators whose work runs upstream, on deployments. */
  public static boolean upstream(String generator) {
    return !generator.equals("local");
  }

  /**
   * The first configured generator: the one a single-generator node serves on {@code
   * --submit-route}.
   */
  public String generator() {
    return generators.getFirst();
  }

  /**
   * The deployments file's, plus one from its own settings for each served upstream generator the
   * file does not cover.
   */
  private static List<DeploymentSpec> deployments(
      Values v, Map<String, String> env, List<String> generators) {
    if (v.text("veo-backend").equalsIgnoreCase("gemini")) {
      throw v.invalid(
          "veo-backend",
          "gemini is no longer served: Google shut the Gemini API's Veo models down on "
              + "2026-10-22. Use Vertex AI (unset it, then set --veo-project and credentials, see docs/veo.md), "
              + "or --generator omni for Gemini Omni Flash with a Gemini API key");
    }
    v.oneOf("veo-backend", "vertex");
    var all = new java.util.ArrayList<DeploymentSpec>();
    String file = v.text("deployments");
    if (!file.isEmpty()) {
      Path p = Path.of(file);
      if (!java.nio.file.Files.isReadable(p))
        throw v.invalid("deployments", "no readable file " + p.toAbsolutePath());
      all.addAll(Deployments.read(p, generators));
    }
    int veoMax = v.intIn("veo-concurrency", 1, 10_000);
    int veoRpm = v.intIn("veo-requests-per-minute", 0, 1_000_000);
    int omniMax = v.intIn("omni-concurrency", 1, 10_000);
    int omniRpm = v.intIn("omni-requests-per-minute", 0, 1_000_000);
    java.util.function.Function<String, String> label =
        name -> Settings.byName(name).flag() + " / " + Settings.byName(name).envVar();
    for (String g : generators) {
      if (!upstream(g) || all.stream().anyMatch(d -> d.generator().equals(g))) continue;
      switch (g) {
        case "veo" -> {
          if (v.text("veo-project").isEmpty())
            throw v.invalid(
                "veo-project",
                "is required with --generator veo (or a veo deployment in --deployments): the Google"
                    + " Cloud project that has the Vertex AI API enabled");
          all.add(
              Deployments.fromSettings(
                  "veo",
                  veoMax,
                  veoRpm,
                  Map.of(
                      "project", "veo-project",
                      "location", "veo-location",
                      "credentials", "veo-credentials",
                      "model", "veo-model",
                      "base_url", "veo-base-url"),
                  v::text,
                  label));
        }
        case "omni" -> {
          String key = v.text("omni-api-key");
          if (key.isEmpty()) key = env.getOrDefault("GEMINI_API_KEY", "").trim();
          if (key.isEmpty())
            throw v.invalid(
                "omni-api-key",
                "is required with --generator omni (or set GEMINI_API_KEY, or an omni deployment in"
                    + " --deployments): a Gemini API key from aistudio.google.com");
          String apiKey = key;
          all.add(
              Deployments.fromSettings(
                  "omni",
                  omniMax,
                  omniRpm,
                  Map.of(
                      "api_key", "omni-api-key",
                      "model", "omni-model",
                      "base_url", "omni-base-url"),
                  name -> name.equals("omni-api-key") ? apiKey : v.text(name),
                  label));
        }
        default ->
            throw v.invalid(
                "deployments",
                "generator " + g + " needs its deployments in a deployments file (see the README)");
      }
    }
    return List.copyOf(all);
  }

  /** {@code 30d}, {@code 12h}, {@code 90m} or {@code 20s}: a whole number and one unit. */
  private static Duration retention(Values v) {
    String t = v.text("retention").toLowerCase(java.util.Locale.ROOT);
    var m = java.util.regex.Pattern.compile("([0-9]{1,7})([dhms])").matcher(t);
    if (!m.matches())
      throw v.invalid(
          "retention",
          "must be a whole number followed by d, h, m or s (such as 30d, 12h, 20s), got '"
              + t
              + "'");
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "d" -> Duration.ofDays(n);
          case "h" -> Duration.ofHours(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofSeconds(n);
        };
    if (d.isZero() || d.compareTo(Duration.ofDays(3650)) > 0)
      throw v.invalid("retention", "must be between 1s and 3650d, got '" + t + "'");
    return d;
  }

  private static Optional<Path> prices(Values v) {
    String p = v.text("prices");
    if (p.isEmpty()) return Optional.empty();
    Path file = Path.of(p);
    if (!java.nio.file.Files.isReadable(file)) throw v.invalid("prices", "no readable file " + p);
    return Optional.of(file);
  }

  private static S3 s3(Values v, String storage) {
    if (storage.startsWith("s3://")
        && storage.substring("s3://".length()).replaceAll("/.*", "").isEmpty()) {
      throw v.invalid("storage-url", "s3:// needs a bucket: s3://bucket or s3://bucket/prefix");
    }
    String endpoint = v.text("s3-endpoint");
    Optional<URI> uri = Optional.empty();
    if (!endpoint.isEmpty()) {
      try {
        uri = Optional.of(new URI(endpoint));
      } catch (URISyntaxException e) {
        throw v.invalid("s3-endpoint", "is not a URL: " + e.getMessage());
      }
      if ((!"http".equals(uri.get().getScheme()) && !"https".equals(uri.get().getScheme()))
          || uri.get().getHost() == null) {
        throw v.invalid(
            "s3-endpoint", "must be an http:// or https:// URL, got '" + endpoint + "'");
      }
    }
    String region = v.text("s3-region");
    if (region.isEmpty()) throw v.invalid("s3-region", "must not be empty");
    return new S3(uri, region, v.bool("s3-path-style"), v.bool("s3-presign"));
  }

  private static String webhookSecret(Values v) {
    String s = v.text("webhook-secret");
    if (s.isEmpty()) return s;
    if (!s.startsWith("whsec_")) throw v.invalid("webhook-secret", "must look like whsec_<base64>");
    try {
      if (java.util.Base64.getDecoder().decode(s.substring(6)).length < 16) {
        throw v.invalid("webhook-secret", "must hold at least 16 bytes after whsec_");
      }
    } catch (IllegalArgumentException e) {
      throw v.invalid("webhook-secret", "the part after whsec_ is not valid base64");
    }
    return s;
  }

  public boolean sqlite() {
    return dbUrl.startsWith("jdbc:sqlite:");
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static List<String> concat(String first, List<String> rest) {
    var all = new java.util.ArrayList<String>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  /** Resolution of raw values with error messages that name the setting. */
  private static final class Values {
    private final Map<String, String> env;
    private final Map<String, String> flags;
    private final Map<String, String> resolved = new java.util.TreeMap<>();

    Values(Map<String, String> env, Map<String, String> flags) {
      this.env = env;
      this.flags = flags;
      for (String name : flags.keySet()) {
        if (!Settings.exists(name))
          throw new ConfigException("unknown option --" + name + " (see ./tween serve --help)");
      }
    }

    String text(String name) {
      Setting s = Settings.byName(name);
      String value =
          flags.containsKey(name)
              ? flags.get(name)
              : env.getOrDefault(s.envVar(), s.defaultValue());
      String v = value == null ? "" : value.trim();
      resolved.put(name, v);
      return v;
    }

    int intIn(String name, int min, int max) {
      return Math.toIntExact(longIn(name, min, max));
    }

    long longIn(String name, long min, long max) {
      String t = text(name);
      try {
        long n = Long.parseLong(t);
        if (n < min || n > max)
          throw invalid(name, "must be between " + min + " and " + max + ", got " + t);
        return n;
      } catch (NumberFormatException e) {
        throw invalid(name, "must be a whole number, got '" + t + "'");
      }
    }

    boolean bool(String name) {
      return Boolean.parseBoolean(oneOf(name, "true", "false"));
    }

    String oneOf(String name, String... allowed) {
      String t = text(name).toLowerCase(java.util.Locale.ROOT);
      if (!Arrays.asList(allowed).contains(t)) {
        throw invalid(name, "must be one of " + String.join(", ", allowed) + ", got '" + t + "'");
      }
      return t;
    }

    List<String> list(String name) {
      return Arrays.stream(text(name).split(","))
          .map(String::trim)
          .filter(x -> !x.isEmpty())
          .toList();
    }

    ConfigException invalid(String name, String rule) {
      Setting s = Settings.byName(name);
      return new ConfigException("setting " + s.flag() + " / " + s.envVar() + ": " + rule);
    }

    Map<String, String> resolved() {
      for (Setting s : Settings.ALL) if (!resolved.containsKey(s.name())) text(s.name());
      var copy = new java.util.TreeMap<>(resolved);
      copy.replace("db-password", copy.get("db-password").isEmpty() ? "" : "***");
      copy.replace("api-keys", copy.get("api-keys").isEmpty() ? "" : "***");
      copy.replace("admin-key", copy.get("admin-key").isEmpty() ? "" : "***");
      copy.replace("webhook-secret", copy.get("webhook-secret").isEmpty() ? "" : "***");
      copy.replace("omni-api-key", copy.get("omni-api-key").isEmpty() ? "" : "***");
      return java.util.Collections.unmodifiableMap(copy);
    }
  }
}
