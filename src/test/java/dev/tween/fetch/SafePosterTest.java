package dev.tween.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Webhook deliveries: same address rules as image fetches, and a redirect is an answer, never
 * followed.
 */
class SafePosterTest {

  @Test
  void webhooksNeverFollowRedirectsNorReachRefusedAddresses() throws Exception {
    var policy =
        new FetchPolicy(
            new AddressPolicy(false, SafeFetcherGuardTest.WORLD::equals),
            64 * 1024,
            0,
            Duration.ofSeconds(3),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10));
    HttpServer receiver =
        HttpServer.create(new InetSocketAddress(SafeFetcherGuardTest.WORLD, 0), 0);
    AtomicInteger posts = new AtomicInteger();
    try (Canary canary = new Canary()) {
      receiver.createContext(
          "/hook",
          ex -> {
            posts.incrementAndGet();
            ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + canary.port() + "/");
            ex.sendResponseHeaders(307, -1);
            ex.close();
          });
      receiver.start();
      var poster = new SafePoster(policy, host -> List.of(SafeFetcherGuardTest.WORLD));
      URI hook = URI.create("http://hooks.example:" + receiver.getAddress().getPort() + "/hook");
      assertThat(poster.post(hook, Map.of("webhook-id", "msg_1"), "{}".getBytes())).isEqualTo(307);
      assertThat(posts.get()).isEqualTo(1);
      assertThatThrownBy(
              () ->
                  poster.post(
                      URI.create("http://127.0.0.1:" + canary.port() + "/"), Map.of(), new byte[0]))
          .isInstanceOf(IOException.class);
      assertThat(canary.connections()).isZero();
    } finally {
      receiver.stop(0);
    }
  }
}
