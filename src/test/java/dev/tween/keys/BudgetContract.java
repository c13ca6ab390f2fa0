package dev.tween.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.generate.GenerationException;
import dev.tween.generate.GenerationJob;
import dev.tween.generate.GenerationResult;
import dev.tween.generate.Generator;
import dev.tween.task.TaskStatus;
import dev.tween.testing.Bodies;
import dev.tween.testing.MutableClock;
import dev.tween.testing.TestNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys, budgets and usage through the HTTP API, on each database: the price of the test generator
 * ({@code fake}) is 0.10 USD per second, so a 4 s single-sample task costs 0.40.
 */
abstract class BudgetContract {
  static final String ADMIN = "admin-secret-for-tests";
  private static final String SUBMIT = "/v3/async/veo-3.1-lite-flf2v";

  @TempDir Path dir;
  private final List<TestNode> nodes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  /**
   * Flags that put a node on this contract's database; every call of one test shares the database.
   */
  abstract Map<String, String> databaseFlags();

  TestNode node(int workers) throws IOException {
    return node(workers, Map.of(), Clock.systemUTC());
  }

  TestNode node(int workers, Clock clock) throws IOException {
    return node(workers, Map.of(), clock);
  }

  TestNode node(int workers, Map<String, String> extraFlags, Clock clock) throws IOException {
    Path prices = dir.resolve("prices.json");
    if (!Files.exists(prices))
      Files.writeString(prices, "{\"currency\":\"USD\",\"models\":{\"fake\":{\"default\":0.10}}}");
    var flags = new HashMap<>(databaseFlags());
    flags.put("workers", Integer.toString(workers));
    flags.put("admin-key", ADMIN);
    flags.put("prices", prices.toString());
    flags.putAll(extraFlags);
    TestNode n =
        TestNode.start(
            dir.resolve("node" + nodes.size()), Optional.of(new ScriptedGenerator()), flags, clock);
    nodes.add(n);
    return n;
  }

  @AfterEach
  void stop() {
    nodes.forEach(TestNode::close);
  }

  static String body(String prompt, int samples) {
    return Bodies.simple(samples).replace("\"prompt\": \"pan\"", "\"prompt\": \"" + prompt + "\"");
  }

  static JsonNode createKey(TestNode n, String json) throws Exception {
    var r = n.post("/v1/admin/keys", ADMIN, json);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return TestNode.json(r.body());
  }

  HttpResponse<String> delete(TestNode n, String path, String key) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(n.url(path)))
            .DELETE()
            .header("Authorization", "Bearer " + key)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> patch(TestNode n, String path, String key, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(n.url(path)))
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode updateKey(TestNode n, String id, String json) throws Exception {
    var r = patch(n, "/v1/admin/keys/" + id, ADMIN, json);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestNode.json(r.body());
  }

  static JsonNode waitFinal(TestNode n, String key, String id) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> TestNode.json(n.get("/v3/async/task-result?task_id=" + id, key).body()),
            j -> TaskStatus.fromWire(j.at("/task/status").asText()).orElseThrow().isFinal());
  }

  static JsonNode keyListing(TestNode n, String id) throws Exception {
    var r = n.get("/v1/admin/keys", ADMIN);
    assertThat(r.statusCode()).isEqualTo(200);
    for (JsonNode k : TestNode.json(r.body()).get("keys"))
      if (k.get("id").asText().equals(id)) return k;
    throw new AssertionError("key " + id + " not listed: " + r.body());
  }

  static BigDecimal dec(JsonNode n) {
    return n.decimalValue().stripTrailingZeros();
  }

  @Test
  void budgetAdmitsExactlyWhatItCoversAndACancelMakesRoom() throws Exception {
    TestNode n = node(0);
    JsonNode key =
        createKey(
            n, "{\"name\": \"studio-a\", \"budget\": {\"amount\": 2.0, \"period\": \"month\"}}");
    String secret = key.get("key").asText();
    assertThat(key.get("id").asText()).startsWith("key_");
    assertThat(dec(key.at("/budget/amount"))).isEqualByComparingTo("2");
    assertThat(key.at("/budget/period").asText()).isEqualTo("month");
    assertThat(key.get("created_at").asText()).isNotEmpty();

    List<String> accepted = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < 7; i++) {
      var r = n.post(SUBMIT, secret, body("hold", 1));
      if (r.statusCode() == 200) {
        accepted.add(TestNode.json(r.body()).get("task_id").asText());
      } else {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(402);
        JsonNode err = TestNode.json(r.body());
        assertThat(err.get("code").asText()).isEqualTo("BUDGET_EXCEEDED");
        assertThat(err.get("message").asText()).contains("0 USD is left").contains("needs 0.4 USD");
        refused++;
      }
    }
    assertThat(accepted).hasSize(5);
    assertThat(refused).isEqualTo(2);
    assertThat(n.get("/v3/async/tasks?limit=100", secret).body())
        .doesNotContain("\"next_cursor\":\"x");
    assertThat(TestNode.json(n.get("/v3/async/tasks?limit=100", secret).body()).get("tasks"))
        .hasSize(5);
    JsonNode listed = keyListing(n, key.get("id").asText());
    assertThat(dec(listed.get("reserved"))).isEqualByComparingTo("2");
    assertThat(dec(listed.get("remaining"))).isEqualByComparingTo("0");
    assertThat(listed.toString()).doesNotContain(secret);

    var cancel = n.post("/v3/async/tasks/" + accepted.getFirst() + "/cancel", secret, "");
    assertThat(cancel.statusCode()).isEqualTo(200);
    // The same Idempotency-Key twice takes the freed room once.
    var first = send(n, secret, body("hold", 1), "idem-1");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    var replay = send(n, secret, body("hold", 1), "idem-1");
    assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
    assertThat(replay.body()).isEqualTo(first.body());
    assertThat(n.post(SUBMIT, secret, body("hold", 1)).statusCode()).isEqualTo(402);
    // A request too big for what is left is refused whole, even when a smaller one would fit.
    assertThat(n.post(SUBMIT, TestNode.KEY, body("hold", 4)).statusCode())
        .as("configured keys have no budget")
        .isEqualTo(200);
  }

  private HttpResponse<String> send(TestNode n, String key, String body, String idempotencyKey)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(n.url(SUBMIT)))
            .header("Authorization", "Bearer " + key)
            .header("Idempotency-Key", idempotencyKey)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void failedTasksRefundFilteredSamplesAreFreeAndUsageMatchesTheTasks() throws Exception {
    TestNode n = node(1);
    JsonNode key =
        createKey(
            n, "{\"name\": \"studio-b\", \"budget\": {\"amount\": 1.6, \"period\": \"day\"}}");
    String secret = key.get("key").asText();
    String failed =
        TestNode.json(n.post(SUBMIT, secret, body("fail", 2)).body()).get("task_id").asText();
    JsonNode f = waitFinal(n, secret, failed);
    assertThat(f.at("/task/status").asText()).isEqualTo("TASK_STATUS_FAILED");
    assertThat(f.at("/extra/usage/video_seconds").asLong()).isZero();
    assertThat(dec(f.at("/extra/usage/cost"))).isEqualByComparingTo("0");

    // Both fit only because the failed task gave its 0.80 back.
    var filtered = n.post(SUBMIT, secret, body("filter", 2));
    var full = n.post(SUBMIT, secret, body("ok", 2));
    assertThat(filtered.statusCode()).as(filtered.body()).isEqualTo(200);
    assertThat(full.statusCode()).as(full.body()).isEqualTo(200);
    JsonNode a = waitFinal(n, secret, TestNode.json(filtered.body()).get("task_id").asText());
    JsonNode b = waitFinal(n, secret, TestNode.json(full.body()).get("task_id").asText());
    assertThat(a.get("videos")).hasSize(1);
    assertThat(a.at("/extra/usage/video_seconds").asLong()).isEqualTo(4);
    assertThat(dec(a.at("/extra/usage/cost"))).isEqualByComparingTo("0.4");
    assertThat(b.at("/extra/usage/video_seconds").asLong()).isEqualTo(8);
    assertThat(dec(b.at("/extra/usage/cost"))).isEqualByComparingTo("0.8");
    assertThat(b.at("/extra/usage/currency").asText()).isEqualTo("USD");

    // 1.60 − 1.20 charged = 0.40 left: two samples (0.80) no longer fit, one does.
    assertThat(n.post(SUBMIT, secret, body("ok", 2)).statusCode()).isEqualTo(402);
    var last = n.post(SUBMIT, secret, body("ok", 1));
    assertThat(last.statusCode()).isEqualTo(200);
    JsonNode c = waitFinal(n, secret, TestNode.json(last.body()).get("task_id").asText());

    JsonNode own = TestNode.json(n.get("/v1/usage?group_by=model", secret).body());
    assertThat(own.get("rows")).hasSize(1);
    JsonNode row = own.get("rows").get(0);
    assertThat(row.get("model").asText()).isEqualTo("fake");
    assertThat(row.get("tasks").asLong()).isEqualTo(3);
    long seconds =
        a.at("/extra/usage/video_seconds").asLong()
            + b.at("/extra/usage/video_seconds").asLong()
            + c.at("/extra/usage/video_seconds").asLong();
    BigDecimal cost =
        dec(a.at("/extra/usage/cost"))
            .add(dec(b.at("/extra/usage/cost")))
            .add(dec(c.at("/extra/usage/cost")));
    assertThat(row.get("video_seconds").asLong()).isEqualTo(seconds).isEqualTo(16);
    assertThat(dec(row.get("cost"))).isEqualByComparingTo(cost).isEqualByComparingTo("1.6");
    assertThat(row.get("currency").asText()).isEqualTo("USD");
    assertThat(dec(own.at("/key/remaining"))).isEqualByComparingTo("0");
    assertThat(dec(own.at("/key/spend"))).isEqualByComparingTo("1.6");

    JsonNode byDay = TestNode.json(n.get("/v1/usage?group_by=day", secret).body());
    assertThat(byDay.get("rows")).hasSize(1);
    assertThat(byDay.at("/rows/0/day").asText())
        .isEqualTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());

    // Another key's usage is its own; the admin key sees every key.
    String other =
        TestNode.json(n.post(SUBMIT, TestNode.KEY, body("ok", 1)).body()).get("task_id").asText();
    waitFinal(n, TestNode.KEY, other);
    JsonNode mine = TestNode.json(n.get("/v1/usage?group_by=key", TestNode.KEY).body());
    assertThat(mine.get("rows")).hasSize(1);
    assertThat(mine.at("/rows/0/tasks").asLong()).isEqualTo(1);
    JsonNode all = TestNode.json(n.get("/v1/usage?group_by=key", ADMIN).body());
    assertThat(all.get("rows")).hasSize(2);
    assertThat(all.get("key")).isNull();
    assertThat(all.toString()).contains("\"key\":\"studio-b\"");
    assertThat(n.get("/v1/usage?group_by=week", secret).statusCode()).isEqualTo(400);

    assertThat(dec(keyListing(n, key.get("id").asText()).get("spend"))).isEqualByComparingTo("1.6");
    String metrics = n.get("/metrics", null).body();
    assertThat(metrics)
        .contains("tween_video_seconds_total{key_name=\"studio-b\",model=\"fake\"} 16.0");
    assertThat(metrics).contains("tween_spend_total{currency=\"USD\",key_name=\"studio-b\"} 1.6");
  }

  @Test
  void parallelSubmitsOnTwoNodesNeverOverspend() throws Exception {
    TestNode a = node(0);
    TestNode b = node(0);
    String secret =
        createKey(a, "{\"name\": \"burst\", \"budget\": {\"amount\": 2.0, \"period\": \"total\"}}")
            .get("key")
            .asText();
    String body = body("hold", 1);
    try (var pool = Executors.newFixedThreadPool(8)) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        TestNode target = i % 2 == 0 ? a : b;
        Callable<Integer> submit = () -> target.post(SUBMIT, secret, body).statusCode();
        results.add(pool.submit(submit));
      }
      int ok = 0;
      for (Future<Integer> f : results) {
        int status = f.get();
        assertThat(status).isIn(200, 402);
        if (status == 200) ok++;
      }
      assertThat(ok).isEqualTo(5);
    }
  }

  /**
   * The reservation alone, harder than HTTP can push it here: 64 parallel reservations over two
   * pools.
   */
  @Test
  void concurrentReservationsFromTwoPoolsFillTheBudgetExactly() throws Exception {
    Map<String, String> f = databaseFlags();
    node(0).close(); // migrates the database
    nodes.clear();
    var prices = new Prices("USD", Map.of("fake", Map.of("default", 100_000L)));
    try (var one =
            dev.tween.store.Database.open(f.get("db-url"), f.getOrDefault("db-user", ""), "", 8);
        var two =
            dev.tween.store.Database.open(f.get("db-url"), f.getOrDefault("db-user", ""), "", 8)) {
      Ledger.Charged none = (k, m, c, s, x) -> {};
      var ledgers =
          List.of(
              new Ledger(one, java.time.Clock.systemUTC(), prices, none),
              new Ledger(two, java.time.Clock.systemUTC(), prices, none));
      var budget = new Budget(20 * 400_000L, Period.DAY); // twenty 4 s tasks at 0.10/s
      var p = new Principal("k_stress", "stress", Optional.of("stress"), Optional.of(budget), 0);
      var options = dev.tween.testing.Specs.options();
      try (var pool = Executors.newFixedThreadPool(16)) {
        List<Future<Ledger.Reservation>> all = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
          Ledger l = ledgers.get(i % 2);
          String task = "task-" + i;
          all.add(pool.submit(() -> l.reserve(p, task, "fake", options)));
        }
        int reserved = 0;
        for (var r : all) if (r.get() instanceof Ledger.Reservation.Reserved) reserved++;
        assertThat(reserved).isEqualTo(20);
      }
      var spend = new Usage(ledgers.get(1)).spend("stress", Optional.of(budget));
      assertThat(spend.reservedMicros()).isEqualTo(budget.amountMicros());
    }
  }

  @Test
  void aRevokedKeyIsRefusedOnEveryNodeOnceItsCacheExpires() throws Exception {
    TestNode a = node(0);
    var clockB = new MutableClock(Instant.now());
    TestNode b = node(0, clockB);
    JsonNode key = createKey(a, "{\"name\": \"leaving\"}");
    String secret = key.get("key").asText();
    assertThat(b.get("/v3/async/tasks", secret).statusCode()).isEqualTo(200);
    assertThat(b.post(SUBMIT, secret, body("hold", 1)).statusCode()).isEqualTo(200);
    var revoked = delete(a, "/v1/admin/keys/" + key.get("id").asText(), ADMIN);
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    assertThat(TestNode.json(revoked.body()).get("revoked_at").asText()).isNotEmpty();
    assertThat(a.get("/v3/async/tasks", secret).statusCode()).isEqualTo(401);
    assertThat(b.get("/v3/async/tasks", secret).statusCode())
        .as("node B remembers the key for a moment")
        .isEqualTo(200);
    clockB.advance(KeyRing.CACHE);
    assertThat(b.get("/v3/async/tasks", secret).statusCode()).isEqualTo(401);
    assertThat(b.post(SUBMIT, secret, body("hold", 1)).statusCode()).isEqualTo(401);
    assertThat(b.get("/v1/usage", secret).statusCode()).isEqualTo(401);
    assertThat(delete(a, "/v1/admin/keys/key_nope", ADMIN).statusCode()).isEqualTo(404);
  }

  @Test
  void anEditedBudgetAndRateApplyOnEveryNodeWithinASecond() throws Exception {
    TestNode a = node(0);
    TestNode b = node(0);
    JsonNode key =
        createKey(a, "{\"name\": \"grows\", \"budget\": {\"amount\": 0.4, \"period\": \"day\"}}");
    String id = key.get("id").asText();
    String secret = key.get("key").asText();
    assertThat(b.post(SUBMIT, secret, body("hold", 1)).statusCode()).isEqualTo(200);
    assertThat(b.post(SUBMIT, secret, body("hold", 1)).statusCode()).isEqualTo(402);

    // The amount alone: the period stays.
    JsonNode raised = updateKey(a, id, "{\"budget\": {\"amount\": 1.2}}");
    assertThat(dec(raised.at("/budget/amount"))).isEqualByComparingTo("1.2");
    assertThat(raised.at("/budget/period").asText()).isEqualTo("day");
    assertThat(dec(raised.get("reserved"))).isEqualByComparingTo("0.4");
    assertThat(dec(raised.get("remaining"))).isEqualByComparingTo("0.8");
    assertThat(raised.toString()).doesNotContain(secret);
    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> b.post(SUBMIT, secret, body("hold", 1)).statusCode() == 200);

    JsonNode limited = updateKey(a, id, "{\"budget\": null, \"rate_limit_per_minute\": 1}");
    assertThat(limited.get("budget").isNull()).isTrue();
    assertThat(limited.get("rate_limit_per_minute").asInt()).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> b.post(SUBMIT, secret, body("hold", 1)).statusCode() == 429);

    JsonNode back = updateKey(a, id, "{\"rate_limit_per_minute\": null}");
    assertThat(back.get("rate_limit_per_minute").isNull()).isTrue();
    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> b.post(SUBMIT, secret, body("hold", 1)).statusCode() == 200);
  }

  @Test
  void aBudgetLoweredBelowWhatIsReservedRefusesNewSubmitsAndLetsAcceptedTasksFinish()
      throws Exception {
    TestNode a = node(0);
    JsonNode key =
        createKey(
            a, "{\"name\": \"shrinks\", \"budget\": {\"amount\": 2.0, \"period\": \"month\"}}");
    String id = key.get("id").asText();
    String secret = key.get("key").asText();
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 3; i++)
      accepted.add(
          TestNode.json(a.post(SUBMIT, secret, body("hold", 1)).body()).get("task_id").asText());

    JsonNode lowered = updateKey(a, id, "{\"budget\": {\"amount\": 0.5, \"period\": \"month\"}}");
    assertThat(dec(lowered.get("reserved"))).isEqualByComparingTo("1.2");
    assertThat(dec(lowered.get("remaining"))).isEqualByComparingTo("0");
    var refused = a.post(SUBMIT, secret, body("hold", 1));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(402);
    assertThat(TestNode.json(refused.body()).get("message").asText()).contains("0 USD is left");

    // The accepted tasks run on another node (sharing the storage) and are charged in full.
    TestNode worker =
        node(
            1,
            Map.of("storage-url", dir.resolve("node0/blobs").toUri().toString()),
            Clock.systemUTC());
    for (String task : accepted) {
      JsonNode done = waitFinal(worker, secret, task);
      assertThat(done.at("/task/status").asText()).isEqualTo("TASK_STATUS_SUCCEED");
      assertThat(dec(done.at("/extra/usage/cost"))).isEqualByComparingTo("0.4");
    }
    JsonNode listed = keyListing(a, id);
    assertThat(dec(listed.get("spend"))).isEqualByComparingTo("1.2");
    assertThat(dec(listed.get("reserved"))).isEqualByComparingTo("0");
    assertThat(dec(listed.get("remaining"))).isEqualByComparingTo("0");
    assertThat(a.post(SUBMIT, secret, body("hold", 1)).statusCode()).isEqualTo(402);

    updateKey(a, id, "{\"budget\": {\"amount\": 1.6}}"); // 1.2 spent: one more task fits
    assertThat(a.post(SUBMIT, secret, body("hold", 1)).statusCode()).isEqualTo(200);
    assertThat(a.post(SUBMIT, secret, body("hold", 1)).statusCode()).isEqualTo(402);
  }

  @Test
  void editingAKeyChecksTheBodyTheKeyAndTheAdmin() throws Exception {
    TestNode n = node(0);
    JsonNode key = createKey(n, "{\"name\": \"edited\"}");
    String id = key.get("id").asText();
    String path = "/v1/admin/keys/" + id;
    assertThat(
            patch(n, path, key.get("key").asText(), "{\"rate_limit_per_minute\": 5}").statusCode())
        .isEqualTo(401);
    var renamed = patch(n, path, ADMIN, "{\"name\": \"other\"}");
    assertThat(renamed.statusCode()).isEqualTo(400);
    assertThat(TestNode.json(renamed.body()).get("message").asText())
        .startsWith("name: cannot be changed");
    assertThat(patch(n, path, ADMIN, "{}").body()).contains("budget and/or rate_limit_per_minute");
    assertThat(patch(n, path, ADMIN, "[1]").statusCode()).isEqualTo(400);
    assertThat(patch(n, path, ADMIN, "{\"rate_limit_per_minute\": 0}").body())
        .contains("rate_limit_per_minute: must be a whole number from 1 to 1000000");
    assertThat(patch(n, path, ADMIN, "{\"budget\": {\"amount\": -1}}").body())
        .contains("budget.amount: must be a number from 0 to 1e12, got -1");
    assertThat(patch(n, path, ADMIN, "{\"budget\": {\"period\": \"day\"}}").body())
        .contains("budget.amount: is required");
    assertThat(patch(n, path, ADMIN, "{\"budget\": {\"amount\": 1, \"period\": \"week\"}}").body())
        .contains("budget.period");
    // A key without a budget gets a monthly one when the period is left out.
    assertThat(updateKey(n, id, "{\"budget\": {\"amount\": 3}}").at("/budget/period").asText())
        .isEqualTo("month");
    assertThat(patch(n, "/v1/admin/keys/key_nope", ADMIN, "{\"budget\": null}").statusCode())
        .isEqualTo(404);
    assertThat(delete(n, path, ADMIN).statusCode()).isEqualTo(200);
    var revoked = patch(n, path, ADMIN, "{\"budget\": null}");
    assertThat(revoked.statusCode()).isEqualTo(409);
    assertThat(revoked.body()).contains("KEY_REVOKED");
  }

  @Test
  void adminRoutesCheckTheAdminKeyAndTheBody() throws Exception {
    TestNode n = node(0);
    assertThat(n.get("/v1/admin/keys", TestNode.KEY).statusCode()).isEqualTo(401);
    assertThat(n.get("/v1/admin/keys", null).statusCode()).isEqualTo(401);
    var bad =
        n.post(
            "/v1/admin/keys",
            ADMIN,
            "{\"name\": \"x\", \"budget\": {\"amount\": 5, \"period\": \"week\"}}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("budget.period");
    assertThat(n.post("/v1/admin/keys", ADMIN, "{\"budget\": null}").body()).contains("name");
    JsonNode limited = createKey(n, "{\"name\": \"slow\", \"rate_limit_per_minute\": 2}");
    String secret = limited.get("key").asText();
    assertThat(n.post(SUBMIT, secret, body("hold", 1)).statusCode()).isEqualTo(200);
    assertThat(n.post(SUBMIT, secret, body("hold", 1)).statusCode()).isEqualTo(200);
    var third = n.post(SUBMIT, secret, body("hold", 1));
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.headers().firstValue("Retry-After")).isPresent();
    String listing = n.get("/v1/admin/keys", ADMIN).body();
    assertThat(listing).doesNotContain(secret).contains("\"rate_limit_per_minute\":2");
  }

  /**
   * Prompt "fail": fails for good; "filter": one sample fewer than asked, as if upstream filtered
   * it; anything else: every sample.
   */
  static final class ScriptedGenerator implements Generator {
    @Override
    public String name() {
      return "fake";
    }

    @Override
    public GenerationResult generate(GenerationJob job) throws GenerationException {
      var o = job.request().options();
      if (o.prompt().equals("fail"))
        throw GenerationException.permanent("the test asked this task to fail");
      int samples =
          o.prompt().equals("filter") ? Math.max(1, o.sampleCount() - 1) : o.sampleCount();
      try {
        for (int i = 0; i < samples; i++) Files.writeString(job.sampleFile(i), "sample " + i);
      } catch (IOException e) {
        throw GenerationException.transientFailure("disk", e);
      }
      return new GenerationResult(
          samples, samples < o.sampleCount() ? "1 sample removed by the safety filter" : "");
    }
  }
}
