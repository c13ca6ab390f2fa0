package dev.tween.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tween.store.Database;
import dev.tween.store.Transactions;
import dev.tween.store.WebhookQueue;
import dev.tween.testing.Bodies;
import dev.tween.testing.FakeGenerator;
import dev.tween.testing.MutableClock;
import dev.tween.testing.TestNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A receiver that fails the first delivery: the retry arrives, signed, with the same webhook-id.
 * The node runs on a clock the test moves, so the 5 s retry delay passes without waiting for it;
 * that nothing is sent early (or again) is read from the delivery's row and checked with a manual
 * tick, not by waiting for something not to happen.
 */
class WebhookDeliveryTest {
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  @TempDir Path dir;

  record Delivery(Map<String, String> headers, byte[] body) {}

  @Test
  void failedDeliveryIsRetriedAndSigned() throws Exception {
    List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    HttpServer receiver =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          deliveries.add(
              new Delivery(
                  Map.of(
                      "id",
                      ex.getRequestHeaders().getFirst("webhook-id"),
                      "ts",
                      ex.getRequestHeaders().getFirst("webhook-timestamp"),
                      "sig",
                      ex.getRequestHeaders().getFirst("webhook-signature")),
                  body));
          ex.sendResponseHeaders(calls.incrementAndGet() == 1 ? 503 : 204, -1);
          ex.close();
        });
    receiver.start();
    String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    var clock = new MutableClock();
    try (TestNode node =
        TestNode.start(
            dir, Optional.of(FakeGenerator.instant()), Map.of("webhook-secret", SECRET), clock)) {
      String body =
          Bodies.simple(1)
              .replaceFirst("\\{", "{\"extra\": {\"webhook\": {\"url\": \"" + hook + "\"}}, ");
      String id = node.submit(body);
      await().atMost(Duration.ofSeconds(10)).until(() -> deliveries.size() >= 1);
      try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("tween.db"), "", "", 1)) {
        // The failure is recorded with its retry due exactly 5 s later on the node's clock...
        long firstAt = clock.millis();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> delivery(db, id), d -> d.lastError() != null);
        assertThat(delivery(db, id).dueAt()).isEqualTo(firstAt + 5_000);
        assertThat(delivery(db, id).lastError()).isEqualTo("receiver answered HTTP 503");
        // ... so a millisecond before, there is nothing to send (a tick of a dispatcher of our
        // own).
        var tick = dispatcher(db, clock);
        clock.advance(Duration.ofMillis(4_999));
        assertThat(tick.deliverOne()).isFalse();
        clock.advance(Duration.ofMillis(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries.size() >= 2);
        // Delivered: nothing is due again, however long we wait.
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> delivery(db, id), d -> d.deliveredAt() != null);
        assertThat(delivery(db, id).dueAt()).isNull();
        clock.advance(Duration.ofDays(7));
        assertThat(tick.deliverOne()).isFalse();
      }
      assertThat(deliveries).hasSize(2);
      Delivery first = deliveries.get(0);
      Delivery retry = deliveries.get(1);
      assertThat(retry.headers().get("id"))
          .isEqualTo(first.headers().get("id"))
          .isEqualTo("msg_" + id);
      var signer = new WebhookSigner(SECRET);
      String expected =
          signer.sign(
              retry.headers().get("id"), Long.parseLong(retry.headers().get("ts")), retry.body());
      assertThat(retry.headers().get("sig")).isEqualTo(expected);
      assertThat(
              new WebhookSigner(
                      "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]))
                  .sign(
                      retry.headers().get("id"),
                      Long.parseLong(retry.headers().get("ts")),
                      retry.body()))
          .as("another secret gives another signature")
          .isNotEqualTo(expected);
      JsonNode payload = TestNode.json(new String(retry.body(), StandardCharsets.UTF_8));
      assertThat(payload.get("event_type").asText()).isEqualTo("ASYNC_TASK_RESULT");
      assertThat(payload.at("/payload/task/task_id").asText()).isEqualTo(id);
      assertThat(payload.at("/payload/task/status").asText()).isEqualTo("TASK_STATUS_SUCCEED");
      assertThat(payload.at("/payload/videos").size()).isEqualTo(1);
    } finally {
      receiver.stop(0);
    }
  }

  /** A task row's delivery columns. */
  record DeliveryState(Long dueAt, String lastError, Long deliveredAt) {}

  private static DeliveryState delivery(Database db, String taskId) {
    return Transactions.read(
        db,
        "test: webhook state",
        c -> {
          try (var ps =
              c.prepareStatement(
                  "SELECT webhook_due_at, webhook_last_error, webhook_delivered_at FROM tasks WHERE id = ?")) {
            ps.setString(1, taskId);
            try (var rs = ps.executeQuery()) {
              rs.next();
              return new DeliveryState(
                  rs.getObject(1) == null ? null : rs.getLong(1),
                  rs.getString(2),
                  rs.getObject(3) == null ? null : rs.getLong(3));
            }
          }
        });
  }

  /**
   * A dispatcher on the node's database that sends nothing: {@code deliverOne()} is a manual tick.
   */
  private static WebhookDispatcher dispatcher(Database db, Clock clock) {
    return new WebhookDispatcher(
        new WebhookQueue(db, clock),
        (url, headers, body) -> {
          throw new AssertionError("nothing should be due");
        },
        SECRET,
        task -> Map.of(),
        clock,
        Duration.ofSeconds(1),
        WebhookDispatcher.defaultSchedule());
  }

  @Test
  void signatureFollowsStandardWebhooks() {
    // Test vector of the Standard Webhooks reference libraries.
    var signer = new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    String sig =
        signer.sign(
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330L,
            "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));
    assertThat(sig).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }
}
