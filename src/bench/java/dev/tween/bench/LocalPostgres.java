package dev.tween.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL for benchmarks and tests, started once per JVM with {@code initdb}/{@code
 * pg_ctl} on a free loopback port (fsync off: nothing here must survive) and stopped when the JVM
 * exits. PostgreSQL refuses to run as root, so as root it runs as the unprivileged {@code postgres}
 * user (or {@code tween-pg}, created if needed). Each caller gets a database of its own. Outage
 * tests take a server of their own ({@link #startPrivate()}) that they can stop and start again.
 */
public final class LocalPostgres implements AutoCloseable {
  public static final String USER = "tween";
  private static final String BIN_ROOT = "/usr/lib/postgresql";
  private static LocalPostgres instance;

  private final Path bin;
  private final Path dir;
  private final int port;
  private final List<String> runAs;

  private LocalPostgres(Path bin, Path dir, int port, List<String> runAs) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.runAs = runAs;
  }

  /**
   * The JVM's server, started on first use. Fails with a clear message when PostgreSQL is not
   * installed.
   */
  public static synchronized LocalPostgres get() {
    if (instance == null) {
      try {
        instance = start();
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("could not start a local PostgreSQL: " + e.getMessage(), e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "postgres-stop"));
    }
    return instance;
  }

  /** Creates an empty database and returns its JDBC URL (user {@link #USER}, no password). */
  public String freshDatabase() {
    String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("CREATE DATABASE failed: " + e.getMessage(), e);
    }
    return jdbcUrl(name);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public int port() {
    return port;
  }

  /** A server of the caller's own, e.g. to stop and restart it; the caller closes it. */
  public static LocalPostgres startPrivate() {
    try {
      return start();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("could not start a local PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** Stops the server as an outage would (open connections are cut), keeping its data and port. */
  public void pause() {
    pgCtl("stop", "-m", "fast");
  }

  /** Starts it again after {@link #pause()}, on the same port with the same data. */
  public void resume() {
    pgCtl("start", "-o", options(port, dir), "-l", dir.resolve("server.log").toString());
  }

  /**
   * Freezes the server and its backends (SIGSTOP) like a network partition: connections stay open
   * and new ones are accepted by the kernel, but nothing answers. {@link #thaw()} resumes them.
   */
  public void freeze() {
    signal("-STOP");
  }

  public void thaw() {
    signal("-CONT");
  }

  private void signal(String sig) {
    try {
      long postmaster =
          Long.parseLong(
              Files.readAllLines(dir.resolve("data").resolve("postmaster.pid")).getFirst().strip());
      List<String> cmd = new ArrayList<>(List.of("kill", sig, Long.toString(postmaster)));
      ProcessHandle.of(postmaster)
          .orElseThrow()
          .descendants()
          .forEach(p -> cmd.add(Long.toString(p.pid())));
      run(cmd, List.of(), dir);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("kill " + sig + " failed: " + e.getMessage(), e);
    }
  }

  private void pgCtl(String command, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-w",
                "-t",
                "60"));
    cmd.addAll(List.of(args));
    cmd.add(command);
    try {
      run(cmd, runAs, dir);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("pg_ctl " + command + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static String options(int port, Path dir) {
    return "-p "
        + port
        + " -k "
        + dir
        + " -c listen_addresses=127.0.0.1 -c max_connections=300"
        + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  }

  private static LocalPostgres start() throws IOException, InterruptedException {
    Path bin =
        binaries()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "PostgreSQL binaries (initdb, pg_ctl) not found under "
                            + BIN_ROOT
                            + "/<version>/bin. "
                            + "Install the Debian package `postgresql` (./tween test and ./tween bench do)."));
    List<String> runAs = runAs();
    Path dir = Files.createTempDirectory("tween-pg-");
    if (!runAs.isEmpty()) run(List.of("chown", runAs.get(2), dir.toString()), List.of(), dir);
    Path data = dir.resolve("data");
    run(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            USER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync"),
        runAs,
        dir);
    int port = freePort();
    String options = options(port, dir);
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-l",
            dir.resolve("server.log").toString(),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start"),
        runAs,
        dir);
    return new LocalPostgres(bin, dir, port, runAs);
  }

  private void stop() {
    try {
      run(
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D",
              dir.resolve("data").toString(),
              "-m",
              "immediate",
              "-w",
              "stop"),
          runAs,
          dir);
    } catch (IOException | InterruptedException | IllegalStateException e) {
      System.err.println("stopping the local PostgreSQL failed: " + e.getMessage());
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a temp directory; the OS cleans it eventually
    }
  }

  /** Prefers version 15 (what production targets), else the newest installed. */
  static Optional<Path> binaries() {
    Path preferred = Path.of(BIN_ROOT, "15", "bin");
    if (Files.isExecutable(preferred.resolve("initdb"))) return Optional.of(preferred);
    try (Stream<Path> versions = Files.list(Path.of(BIN_ROOT))) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(b -> versionOf(b.getParent())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int versionOf(Path p) {
    try {
      return Integer.parseInt(p.getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** {@code runuser -u <user> --} when we are root, nothing otherwise. */
  private static List<String> runAs() throws IOException, InterruptedException {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!root) return List.of();
    String user = userExists("postgres") ? "postgres" : "tween-pg";
    if (!userExists(user)) {
      run(
          List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user),
          List.of(),
          Path.of("/tmp"));
    }
    return List.of("runuser", "-u", user, "--");
  }

  private static boolean userExists(String user) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("id", "-u", user).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0;
  }

  private static void run(List<String> cmd, List<String> prefix, Path cwd)
      throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(prefix);
    all.addAll(cmd);
    Process p = new ProcessBuilder(all).directory(cwd.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", all) + " failed: " + out.strip());
    }
  }

  private static int freePort() throws IOException {
    try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
