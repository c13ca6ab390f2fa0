package dev.tween.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.tween.bench.LocalPostgres;
import dev.tween.outage.Client.Answer;
import dev.tween.testing.Bodies;
import dev.tween.testing.FakeGenerator;
import dev.tween.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped while the only traffic is a budgeted key's: one outage per billing path
 * (submit, task-result of a charged task, {@code GET /v1/usage}), with that path called every 50 ms
 * from before the stop until past the circuit's idle probe. Every answer is 200 (before the stop)
 * or 503 with Retry-After, never 500. Before, {@code Ledger} and {@code KeyRing} wrapped their SQL
 * errors themselves: such a node answered 500 until the idle probe opened the circuit.
 */
class BillingOutageTest {
  /** Longer than the circuit's idle probe (2 s), so the last answers come from an open circuit. */
  private static final Duration OUTAGE = Duration.ofSeconds(3);

  private static final Duration PACE = Duration.ofMillis(50);
  private static final String ADMIN = "admin-secret-for-outage-tests";

  @TempDir Path dir;

  enum Route {
    SUBMIT,
    TASK_RESULT,
    USAGE
  }

  /** An answer and whether its request started after {@code pg_ctl stop} returned. */
  record Timed(Answer answer, boolean afterStop) {}

  @Test
  void everyBillingPathAnswers503NotA500() throws Exception {
    try (LocalPostgres pg = LocalPostgres.startPrivate();
        LogCapture logs = new LogCapture()) {
      Path prices =
          Files.writeString(
              dir.resolve("prices.json"),
              """
          {"currency":"USD","models":{"fake":{"default":0.10}}}""");
      var flags =
          OutageFlags.merged(
              OutageFlags.on(pg), Map.of("admin-key", ADMIN, "prices", prices.toString()));
      String key;
      String charged;
      try (TestNode setup =
          TestNode.start(dir.resolve("node"), Optional.of(FakeGenerator.instant()), flags)) {
        var created =
            setup.post(
                "/v1/admin/keys",
                ADMIN,
                "{\"name\": \"studio\", \"budget\": {\"amount\": 1000, \"period\": \"month\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        key = TestNode.json(created.body()).get("key").asText();
        var setupClient = new Client(setup, key);
        Answer first = setupClient.submit(Bodies.simple(1));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        charged = first.json().get("task_id").asText();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> setupClient.result(charged).json().at("/extra/usage/cost").isNumber());
      }
      // No workers: the only traffic this node sees is the key's calls.
      try (TestNode node =
          TestNode.start(
              dir.resolve("node"),
              Optional.of(FakeGenerator.instant()),
              OutageFlags.merged(flags, Map.of("workers", "0")))) {
        var client = new Client(node, key);
        var results = new LinkedHashMap<Route, List<Timed>>();
        for (Route route : Route.values()) {
          results.put(route, outage(pg, () -> call(client, route, charged)));
          await()
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(100))
              .until(() -> call(client, route, charged).status() == 200);
        }

        results.forEach(
            (route, answers) -> {
              var byStatus = new TreeMap<Integer, Integer>();
              answers.forEach(t -> byStatus.merge(t.answer().status(), 1, Integer::sum));
              System.out.printf(
                  "billing outage, %s only: %d answers by status %s, slowest %d ms%n",
                  route,
                  answers.size(),
                  byStatus,
                  answers.stream().mapToLong(t -> t.answer().millis()).max().orElse(0));
            });
        results.forEach(
            (route, answers) -> {
              assertThat(answers.stream().filter(t -> !expected(t)).toList())
                  .as(route + ": answers other than 200 before the stop or a quick 503")
                  .isEmpty();
              assertThat(answers.stream().filter(Timed::afterStop).count())
                  .as(route + ": calls during the outage")
                  .isGreaterThan(10);
            });
      }
      assertThat(logs.count(Level.ERROR, "event=http_unhandled")).isZero();
      assertThat(logs.count(Level.WARN, "event=dependency_down dependency=database"))
          .isEqualTo(Route.values().length);
    }
  }

  /**
   * 200 while PostgreSQL was still up, else 503 with Retry-After, answered without hanging; never
   * 500.
   */
  private static boolean expected(Timed t) {
    Answer a = t.answer();
    if (a.status() == 200) return !t.afterStop();
    return a.status() == 503
        && a.retryAfter().isPresent()
        && a.body().contains("SERVICE_UNAVAILABLE")
        && a.millis() < OutageLimits.ANSWER_MS;
  }

  private interface Call {
    Answer send() throws Exception;
  }

  private static Answer call(Client client, Route route, String chargedTask) throws Exception {
    return switch (route) {
      case SUBMIT -> client.submit(Bodies.simple(1));
      case TASK_RESULT -> client.result(chargedTask);
      case USAGE -> client.get("/v1/usage?group_by=model");
    };
  }

  /**
   * Calls {@code call} every {@link #PACE} from half a second before {@code pg_ctl stop} until
   * {@link #OUTAGE} after it returned, then starts PostgreSQL again; returns every answer.
   */
  private static List<Timed> outage(LocalPostgres pg, Call call) throws Exception {
    List<Timed> answers = new CopyOnWriteArrayList<>();
    var downSince = new AtomicLong(); // 0 until pg_ctl stop returned
    var failure = new AtomicReference<Exception>();
    Thread caller =
        Thread.ofPlatform()
            .start(
                () -> {
                  long down;
                  while ((down = downSince.get()) == 0
                      || System.nanoTime() - down < OUTAGE.toNanos()) {
                    try {
                      answers.add(new Timed(call.send(), down != 0));
                      // the traffic's pace during a real outage, not a wait
                      Thread.sleep(PACE.toMillis());
                    } catch (Exception e) {
                      failure.set(e);
                      return;
                    }
                  }
                });
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() >= 10);
      pg.pause();
      downSince.set(System.nanoTime());
      caller.join(OUTAGE.plusSeconds(15));
    } finally {
      caller.interrupt();
      pg.resume();
    }
    assertThat(failure.get()).as("the client got an answer to every call").isNull();
    assertThat(caller.isAlive()).as("the calls ended with the outage").isFalse();
    return new ArrayList<>(answers);
  }
}
