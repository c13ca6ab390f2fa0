package dev.tween.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A canary HTTP server on loopback counts every request it gets: no refused URL form may reach it.
 * A second server plays the allowed outside world (reached through names the test resolver maps).
 */
class SafeFetcherTest {
  HttpServer canary;
  final AtomicInteger canaryHits = new AtomicInteger();
  int port;

  @BeforeEach
  void start() throws Exception {
    canary = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    canary.createContext(
        "/",
        ex -> {
          canaryHits.incrementAndGet();
          byte[] body = "secret".getBytes();
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    canary.start();
    port = canary.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    canary.stop(0);
  }

  /** Names resolve as the table says; a name missing from it does not exist. */
  static SafeHttp.Resolver table(Map<String, String> names) {
    return host -> {
      String ip = names.get(host);
      if (ip == null) throw new UnknownHostException(host);
      return List.of(InetAddress.getByName(ip));
    };
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "localhost",
        "2130706433",
        "0x7f000001",
        "127.1",
        "0177.0.0.1",
        "[::ffff:127.0.0.1]",
        "[::1]",
        "rebound.example",
        "0.0.0.0"
      })
  void refusedFormsNeverReachTheCanary(String host) {
    var fetcher =
        new SafeFetcher(FetchPolicy.images(false), table(Map.of("rebound.example", "127.0.0.1")));
    URI url = URI.create("http://" + host + ":" + port + "/secret.png");
    assertThatThrownBy(() -> fetcher.fetch(url))
        .isInstanceOf(FetchException.class)
        .satisfies(e -> assertThat(((FetchException) e).permanent()).isTrue());
    assertThat(canaryHits.get()).isZero();
  }

  @Test
  void otherSchemesAreRefused() {
    var fetcher = new SafeFetcher(FetchPolicy.images(true));
    for (String u :
        List.of("file:///etc/passwd", "ftp://example.com/a.png", "gopher://x/", "jar:file:/x!/y")) {
      assertThatThrownBy(() -> fetcher.fetch(URI.create(u)))
          .isInstanceOf(FetchException.class)
          .hasMessageContaining("http");
    }
  }

  @Test
  void redirectsAreFollowedAtMostThreeTimesAndEachHopIsChecked() throws Exception {
    HttpServer world =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    int wp = world.getAddress().getPort();
    world.createContext(
        "/hop",
        ex -> {
          int n = Integer.parseInt(ex.getRequestURI().getQuery().substring(2));
          ex.getResponseHeaders()
              .add("Location", "http://outside.example:" + wp + "/hop?n=" + (n + 1));
          ex.sendResponseHeaders(302, -1);
          ex.close();
        });
    world.createContext(
        "/to-metadata",
        ex -> {
          ex.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
          ex.sendResponseHeaders(302, -1);
          ex.close();
        });
    world.createContext(
        "/to-canary",
        ex -> {
          ex.getResponseHeaders().add("Location", "http://canary.example:" + port + "/x.png");
          ex.sendResponseHeaders(301, -1);
          ex.close();
        });
    world.start();
    try {
      // The "outside world" lives on loopback here, so this fetcher may reach loopback: only the
      // always-refused ranges and the resolver decide.
      var fetcher =
          new SafeFetcher(
              FetchPolicy.images(true),
              table(Map.of("outside.example", "127.0.0.1", "canary.example", "169.254.1.1")));
      assertThatThrownBy(
              () -> fetcher.fetch(URI.create("http://outside.example:" + wp + "/hop?n=0")))
          .hasMessageContaining("too many redirects");
      assertThatThrownBy(
              () -> fetcher.fetch(URI.create("http://outside.example:" + wp + "/to-metadata")))
          .hasMessageContaining("169.254.169.254");
      assertThatThrownBy(
              () -> fetcher.fetch(URI.create("http://outside.example:" + wp + "/to-canary")))
          .hasMessageContaining("refused");
      assertThat(canaryHits.get()).isZero();
    } finally {
      world.stop(0);
    }
  }

  @Test
  void bodiesOverTheLimitAreRefusedWithoutReadingThemAll() throws Exception {
    HttpServer big =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger written = new AtomicInteger();
    big.createContext(
        "/big",
        ex -> {
          ex.sendResponseHeaders(200, 0); // chunked: no length to refuse up front
          byte[] chunk = new byte[64 * 1024];
          try (var out = ex.getResponseBody()) {
            for (int i = 0; i < 2048; i++) {
              out.write(chunk);
              written.addAndGet(chunk.length);
            }
          } catch (java.io.IOException expected) {
            // the client hung up: good
          }
        });
    big.createContext(
        "/declared",
        ex -> {
          ex.sendResponseHeaders(200, 50L * 1024 * 1024);
          ex.getResponseBody().write(new byte[1024]);
          ex.getResponseBody().flush();
          try {
            Thread.sleep(500); // a server that stalls after 1 KiB; the fetcher must not wait for it
          } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
          }
          ex.close();
        });
    big.createContext(
        "/missing",
        ex -> {
          ex.sendResponseHeaders(404, -1);
          ex.close();
        });
    big.createContext(
        "/slow",
        ex -> {
          try {
            Thread.sleep(3000); // a server slower than the fetcher's timeout, which is real time
          } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
          }
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    big.start();
    try {
      int p = big.getAddress().getPort();
      var policy =
          new FetchPolicy(
              new AddressPolicy(true),
              1024 * 1024,
              3,
              Duration.ofSeconds(2),
              Duration.ofSeconds(1),
              Duration.ofSeconds(5));
      var fetcher = new SafeFetcher(policy);
      assertThatThrownBy(() -> fetcher.fetch(URI.create("http://127.0.0.1:" + p + "/big")))
          .hasMessageContaining("larger than");
      assertThat(written.get())
          .as("the server was cut off long before 128 MiB")
          .isLessThan(64 * 1024 * 1024);
      assertThatThrownBy(() -> fetcher.fetch(URI.create("http://127.0.0.1:" + p + "/declared")))
          .hasMessageContaining("at most");
      assertThatThrownBy(() -> fetcher.fetch(URI.create("http://127.0.0.1:" + p + "/missing")))
          .hasMessageContaining("HTTP 404")
          .satisfies(e -> assertThat(((FetchException) e).permanent()).isTrue());
      assertThatThrownBy(() -> fetcher.fetch(URI.create("http://127.0.0.1:" + p + "/slow")))
          .hasMessageContaining("in time")
          .satisfies(e -> assertThat(((FetchException) e).permanent()).isFalse());
    } finally {
      big.stop(0);
    }
  }
}
