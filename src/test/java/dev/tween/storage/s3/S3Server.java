package dev.tween.storage.s3;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A real S3-compatible server for tests: the npm package s3rver (installed by ./tween test into
 * .ci/node_modules), started once per JVM on a free loopback port with one bucket. Each caller gets
 * a prefix of its own. Credentials are s3rver's defaults, given to the SDK through the standard
 * {@code aws.*} system properties (in-JVM nodes) or {@code AWS_*} variables (node processes).
 * Outage tests take a server of their own ({@link #startPrivate()}) that they can stop and start
 * again.
 */
public final class S3Server implements AutoCloseable {
  public static final String BUCKET = "tween-test";
  public static final String ACCESS_KEY = "S3RVER";
  public static final String SECRET_KEY = "S3RVER";
  private static final Path SCRIPT = Path.of(".ci/node_modules/s3rver/bin/s3rver.js");
  private static S3Server instance;

  private volatile Process process;
  private final int port;
  private final Path dir;

  private S3Server(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  public static synchronized S3Server get() {
    if (instance == null) {
      try {
        instance = start();
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(
            "could not start s3rver for the tests: " + e.getMessage(), e);
      }
      System.setProperty("aws.accessKeyId", ACCESS_KEY);
      System.setProperty("aws.secretAccessKey", SECRET_KEY);
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "s3rver-stop"));
    }
    return instance;
  }

  /** A server of the caller's own, e.g. to stop and restart it; the caller closes it. */
  public static S3Server startPrivate() {
    get(); // the credentials' system properties
    try {
      return start();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("could not start s3rver for the tests: " + e.getMessage(), e);
    }
  }

  /** Kills the server as an outage would, keeping its objects and port. */
  public void pause() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Starts it again after {@link #pause()}, on the same port with the same objects. */
  public void resume() throws IOException, InterruptedException {
    process = launch(port, dir);
  }

  @Override
  public void close() {
    stop();
  }

  private static S3Server start() throws IOException, InterruptedException {
    if (!Files.isRegularFile(SCRIPT)) {
      throw new IllegalStateException(
          SCRIPT.toAbsolutePath()
              + " is missing: the S3 tests need the npm package s3rver. "
              + "Run ./tween test (it runs `npm ci --prefix .ci`).");
    }
    int port;
    try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path dir = Files.createTempDirectory("tween-s3-");
    return new S3Server(launch(port, dir), port, dir);
  }

  private static Process launch(int port, Path dir) throws IOException, InterruptedException {
    Path log = dir.resolve("s3rver.log");
    Process p =
        new ProcessBuilder(
                "node",
                SCRIPT.toString(),
                "-d",
                dir.resolve("data").toString(),
                "-a",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-s",
                "--no-vhost-buckets",
                "--configure-bucket",
                BUCKET)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    for (int i = 0; i < 300; i++) {
      if (!p.isAlive()) throw new IllegalStateException("s3rver exited: " + Files.readString(log));
      try (var s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return p;
      } catch (IOException notYet) {
        Thread.sleep(100); // a process starting: nothing to observe but its port
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException(
        "s3rver did not listen on port " + port + " within 30 s: " + Files.readString(log));
  }

  private void stop() {
    process.destroyForcibly();
    try {
      process.waitFor();
      try (var files = Files.walk(dir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList())
          Files.deleteIfExists(p);
      }
    } catch (IOException | InterruptedException ignored) {
      // a temp directory; the OS cleans it eventually
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A fresh {@code s3://bucket/prefix} URL nobody else uses. */
  public String freshStorageUrl() {
    return "s3://" + BUCKET + "/" + UUID.randomUUID();
  }

  public S3Settings settings(String storageUrl, boolean presign) {
    return S3Settings.of(storageUrl, Optional.of(endpoint()), "us-east-1", true, presign);
  }

  /** The settings of a tween node using this server. */
  public Map<String, String> flags(String storageUrl, boolean presign) {
    return Map.of(
        "storage-url",
        storageUrl,
        "s3-endpoint",
        endpoint().toString(),
        "s3-path-style",
        "true",
        "s3-presign",
        Boolean.toString(presign));
  }

  /** The standard AWS variables a node process needs. */
  public Map<String, String> environment() {
    return Map.of(
        "AWS_ACCESS_KEY_ID",
        ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY",
        SECRET_KEY,
        "AWS_REGION",
        "us-east-1");
  }

  /** Every object key under {@code storageUrl}'s prefix, relative to it, as tween's blob keys. */
  public java.util.List<String> keys(String storageUrl) {
    S3Settings s = settings(storageUrl, false);
    try (var client =
        software.amazon.awssdk.services.s3.S3Client.builder()
            .region(software.amazon.awssdk.regions.Region.US_EAST_1)
            .endpointOverride(endpoint())
            .forcePathStyle(true)
            .httpClientBuilder(
                software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
            .build()) {
      String prefix = s.objectKey("");
      return client
          .listObjectsV2Paginator(b -> b.bucket(s.bucket()).prefix(prefix))
          .contents()
          .stream()
          .map(o -> o.key().substring(prefix.length()))
          .sorted()
          .toList();
    }
  }
}
