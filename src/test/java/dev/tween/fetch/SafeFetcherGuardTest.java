package dev.tween.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tween.generate.InputImage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Strict policy (no private ranges) with one exemption: 127.0.0.2 plays the public internet
 * ("world.example"), while the canary on 127.0.0.1 is refused like any loopback address. The canary
 * counts TCP connections, so "0" means not a single packet reached it.
 */
class SafeFetcherGuardTest {
  static final InetAddress WORLD = address("127.0.0.2");
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13};

  Canary canary;
  HttpServer world;
  int wp;
  final CountDownLatch release = new CountDownLatch(1);

  static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  static FetchPolicy strict(long maxBytes, Duration read, Duration call) {
    return new FetchPolicy(
        new AddressPolicy(false, WORLD::equals), maxBytes, 3, Duration.ofSeconds(3), read, call);
  }

  SafeFetcher fetcher(FetchPolicy policy) {
    Map<String, List<String>> names =
        Map.of(
            "world.example",
            List.of("127.0.0.2"),
            "rebound.example",
            List.of("127.0.0.1"),
            "mixed.example",
            List.of("127.0.0.2", "127.0.0.1"),
            "metadata.example",
            List.of("169.254.169.254"));
    return new SafeFetcher(
        policy,
        host -> {
          List<String> ips = names.get(host);
          if (ips == null) throw new UnknownHostException(host);
          return ips.stream().map(SafeFetcherGuardTest::address).toList();
        });
  }

  SafeFetcher fetcher() {
    return fetcher(strict(1 << 20, Duration.ofSeconds(10), Duration.ofSeconds(30)));
  }

  @BeforeEach
  void start() throws Exception {
    canary = new Canary();
    world = HttpServer.create(new InetSocketAddress(WORLD, 0), 0);
    wp = world.getAddress().getPort();
    world.createContext("/image.png", ex -> send(ex, 200, PNG));
    world.createContext("/page.html", ex -> send(ex, 200, "<html>".getBytes()));
    world.createContext("/missing", ex -> send(ex, 404, new byte[0]));
    world.createContext("/busy", ex -> send(ex, 503, new byte[0]));
    world.createContext(
        "/go",
        ex -> {
          ex.getResponseHeaders().add("Location", ex.getRequestURI().getQuery().substring(3));
          send(ex, 302, new byte[0]);
        });
    world.createContext(
        "/loop",
        ex -> {
          ex.getResponseHeaders().add("Location", "/loop");
          send(ex, 301, new byte[0]);
        });
    world.createContext(
        "/slow",
        ex -> {
          int n = Integer.parseInt(ex.getRequestURI().getQuery().substring(2));
          try {
            Thread.sleep(250); // a slow remote server: OkHttp's call timeout runs on real time
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          if (n == 0) {
            send(ex, 200, PNG);
            return;
          }
          ex.getResponseHeaders().add("Location", "/slow?n=" + (n - 1));
          send(ex, 302, new byte[0]);
        });
    world.createContext(
        "/hang",
        ex -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          send(ex, 200, PNG);
        });
    world.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    world.start();
  }

  static void send(HttpExchange ex, int code, byte[] body) throws IOException {
    ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length > 0) ex.getResponseBody().write(body);
    ex.close();
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    world.stop(0);
    canary.close();
  }

  static FetchException fails(ThrowingCall call) {
    try {
      call.run();
    } catch (FetchException e) {
      return e;
    }
    throw new AssertionError("expected a FetchException");
  }

  interface ThrowingCall {
    void run() throws FetchException;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "localhost",
        "LOCALHOST",
        "localhost.",
        "a.localhost",
        "2130706433",
        "0x7f000001",
        "0x7f.1",
        "127.1",
        "127.0.1",
        "0177.0.0.1",
        "127.000.000.001",
        "017700000001",
        "[::ffff:127.0.0.1]",
        "[::ffff:7f00:1]",
        "[::127.0.0.1]",
        "[64:ff9b::7f00:1]",
        "[2002:7f00:1::]",
        "[::1]",
        "0.0.0.0",
        "rebound.example",
        "mixed.example"
      })
  void refusedHostsNeverOpenAConnection(String host) {
    FetchException e =
        fails(() -> fetcher().fetch(URI.create("http://" + host + ":" + canary.port() + "/x.png")));
    assertThat(e.permanent()).isTrue();
    assertThat(canary.connections()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:%d/",
        "http://localhost:%d/",
        "http://2130706433:%d/",
        "http://rebound.example:%d/",
        "http://[::ffff:127.0.0.1]:%d/",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "ftp://world.example/x.png",
        "http://world.example:99999/"
      })
  void redirectsAreRevalidated(String target) {
    String to = target.contains("%d") ? target.formatted(canary.port()) : target;
    FetchException e =
        fails(() -> fetcher().fetch(URI.create("http://world.example:" + wp + "/go?to=" + to)));
    assertThat(e.permanent()).as(e.getMessage()).isTrue();
    assertThat(canary.connections()).isZero();
  }

  @Test
  void theSocketGuardAloneStopsLiteralAddressesThatSkipDns() throws Exception {
    // No precheck here: OkHttp connects to literal IPs without asking the Dns, so only the socket
    // guard stands.
    var client =
        SafeHttp.client(
            strict(1024, Duration.ofSeconds(2), Duration.ofSeconds(5)), host -> List.of());
    var call =
        client.newCall(
            new Request.Builder().url("http://127.0.0.1:" + canary.port() + "/").build());
    assertThatThrownBy(call::execute)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("refused");
    assertThat(canary.connections()).isZero();
  }

  @Test
  void anAllowedImageIsFetchedAndSniffed() throws Exception {
    InputImage image =
        fetcher().fetchImage(URI.create("http://world.example:" + wp + "/image.png"));
    assertThat(image.format()).isEqualTo(InputImage.Format.PNG);
    assertThat(image.bytes()).isEqualTo(PNG);
    InputImage redirected =
        fetcher().fetchImage(URI.create("http://world.example:" + wp + "/go?to=/image.png"));
    assertThat(redirected.bytes()).isEqualTo(PNG);
    assertThat(fetcher().load(new ImageSource.Inline(PNG)).format())
        .isEqualTo(InputImage.Format.PNG);
  }

  @Test
  void failuresSayWhatHappenedAndWhetherToRetry() {
    FetchException notImage =
        fails(() -> fetcher().fetchImage(URI.create("http://world.example:" + wp + "/page.html")));
    assertThat(notImage).hasMessage("the downloaded file is not a JPEG or PNG image");
    assertThat(notImage.permanent()).isTrue();
    FetchException missing =
        fails(() -> fetcher().fetch(URI.create("http://world.example:" + wp + "/missing")));
    assertThat(missing).hasMessage("the image server answered HTTP 404 (not found)");
    assertThat(missing.permanent()).isTrue();
    FetchException busy =
        fails(() -> fetcher().fetch(URI.create("http://world.example:" + wp + "/busy")));
    assertThat(busy).hasMessageContaining("HTTP 503");
    assertThat(busy.permanent()).isFalse();
    FetchException loop =
        fails(() -> fetcher().fetch(URI.create("http://world.example:" + wp + "/loop")));
    assertThat(loop).hasMessageContaining("too many redirects (more than 3)");
    FetchException metadata = fails(() -> fetcher().fetch(URI.create("http://metadata.example/")));
    assertThat(metadata).hasMessageContaining("169.254");
    assertThat(metadata.permanent()).isTrue();
  }

  @Test
  void aServerThatNeverAnswersTimesOutAsATransientFailure() {
    var impatient = fetcher(strict(1024, Duration.ofMillis(300), Duration.ofSeconds(30)));
    FetchException e =
        fails(() -> impatient.fetch(URI.create("http://world.example:" + wp + "/hang")));
    assertThat(e).hasMessageContaining("in time");
    assertThat(e.permanent()).isFalse();
  }

  @Test
  void theCallTimeoutCoversAllHopsTogether() {
    // Each hop answers in 250 ms, well within 600 ms; four of them together do not.
    var impatient = fetcher(strict(1024, Duration.ofSeconds(10), Duration.ofMillis(600)));
    FetchException e =
        fails(() -> impatient.fetch(URI.create("http://world.example:" + wp + "/slow?n=3")));
    assertThat(e).hasMessageContaining("in time");
    assertThat(e.permanent()).isFalse();
  }
}
