package dev.tween.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tween.keys.Budget;
import dev.tween.keys.KeyRing;
import dev.tween.keys.Ledger;
import dev.tween.keys.Money;
import dev.tween.keys.Period;
import dev.tween.keys.Principal;
import dev.tween.keys.Usage;
import io.javalin.http.Context;
import java.io.IOException;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys, budgets and usage over HTTP: {@code /v1/admin/keys} (with the admin key, 404 without one
 * configured) and {@code GET /v1/usage} (a key's own usage, or everyone's with the admin key).
 */
final class AccountRoutes {
  private static final Logger log = LoggerFactory.getLogger(AccountRoutes.class);

  /** The fields {@code PATCH /v1/admin/keys/{id}} may change. */
  private static final java.util.Set<String> EDITABLE =
      java.util.Set.of("budget", "rate_limit_per_minute");

  private final Optional<byte[]> adminKeyHash;
  private final KeyRing ring;
  private final Ledger ledger;
  private final Usage usage;
  private final Clock clock;

  AccountRoutes(Optional<String> adminKey, KeyRing ring, Ledger ledger, Usage usage, Clock clock) {
    this.adminKeyHash = adminKey.filter(k -> !k.isBlank()).map(ApiKeys::sha256);
    this.ring = ring;
    this.ledger = ledger;
    this.usage = usage;
    this.clock = clock;
  }

  /** The principal of a key created through the admin routes. */
  Optional<Principal> authenticate(String secret) {
    return ring.authenticate(secret);
  }

  boolean isAdmin(Context ctx) {
    var secret = ApiKeys.secretOf(ctx.header("Authorization"));
    return adminKeyHash.isPresent()
        && secret.isPresent()
        && MessageDigest.isEqual(adminKeyHash.get(), ApiKeys.sha256(secret.get()));
  }

  void requireAdmin(Context ctx) {
    if (adminKeyHash.isEmpty()) {
      throw new ApiException(
          404,
          "NOT_FOUND",
          "no route "
              + ctx.method()
              + " "
              + ctx.path()
              + " (the admin routes are off: set TWEEN_ADMIN_KEY / --admin-key)",
          Map.of());
    }
    if (!isAdmin(ctx)) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new ApiException(
          401, "UNAUTHORIZED", "the admin routes need Authorization: Bearer <admin key>", Map.of());
    }
  }

  record BudgetView(BigDecimal amount, String period) {
    static BudgetView of(Optional<Budget> b) {
      return b.map(x -> new BudgetView(Money.of(x.amountMicros()), x.period().wire())).orElse(null);
    }
  }

  record CreatedView(
      String id,
      String name,
      String key,
      BudgetView budget,
      @JsonProperty("rate_limit_per_minute") Integer rateLimitPerMinute,
      @JsonProperty("created_at") String createdAt) {}

  record KeyView(
      String id,
      String name,
      BudgetView budget,
      @JsonProperty("rate_limit_per_minute") Integer rateLimitPerMinute,
      @JsonProperty("created_at") String createdAt,
      @JsonProperty("revoked_at") String revokedAt,
      BigDecimal spend,
      BigDecimal reserved,
      BigDecimal remaining,
      String currency) {}

  void create(Context ctx) {
    JsonNode body = object(ctx);
    JsonNode name = body.get("name");
    if (name == null
        || !name.isTextual()
        || name.asText().isBlank()
        || name.asText().length() > 100) {
      throw ApiException.invalid(
          "name", "is required: a non-blank string of at most 100 characters");
    }
    Optional<Budget> budget = budget(body.get("budget"), Optional.empty());
    int rate = rate(body.get("rate_limit_per_minute"));
    var created = ring.create(name.asText().strip(), budget, rate);
    var k = created.key();
    log.info(
        "event=key_created id={} name=\"{}\" budget={} period={}",
        k.id(),
        k.name(),
        budget.map(b -> Money.of(b.amountMicros()).toPlainString()).orElse("none"),
        budget.map(b -> b.period().wire()).orElse("none"));
    ctx.status(201)
        .json(
            new CreatedView(
                k.id(),
                k.name(),
                created.secret(),
                BudgetView.of(k.budget()),
                k.rateLimitPerMinute() == 0 ? null : k.rateLimitPerMinute(),
                k.createdAt().toString()));
  }

  /** The body as a JSON object, or a 400 naming what is wrong with it. */
  private static JsonNode object(Context ctx) {
    JsonNode body;
    try {
      body = HttpApi.JSON.readTree(ctx.bodyAsBytes());
    } catch (IOException e) {
      throw new ApiException(
          400, "INVALID_REQUEST_BODY", "body: malformed JSON", Map.of("field", "body"));
    }
    if (body == null || !body.isObject())
      throw ApiException.invalid("body", "must be a JSON object");
    return body;
  }

  private static final double MAX_AMOUNT = 1e12;
  private static final String AMOUNT_RULE = "a number from 0 to 1e12";

  /**
   * {@code {"amount": 25.0, "period": "month"}}, or none for null; {@code keepPeriod} stands in for
   * a period left out (a change of the amount alone), else the period is required.
   */
  private static Optional<Budget> budget(JsonNode b, Optional<Period> keepPeriod) {
    if (b == null || b.isNull()) return Optional.empty();
    if (!b.isObject())
      throw ApiException.invalid(
          "budget", "must be an object {\"amount\": 25.0, \"period\": \"month\"}");
    JsonNode amount = b.get("amount");
    if (amount == null || amount.isNull())
      throw ApiException.invalid("budget.amount", "is required: " + AMOUNT_RULE);
    if (!amount.isNumber() || amount.asDouble() < 0 || amount.asDouble() > MAX_AMOUNT) {
      throw ApiException.invalid(
          "budget.amount",
          "must be " + AMOUNT_RULE + ", got " + SubmitParser.abbreviate(amount.toString()));
    }
    JsonNode period = b.get("period");
    Optional<Period> p =
        period == null && keepPeriod.isPresent()
            ? keepPeriod
            : period == null || !period.isTextual()
                ? Optional.empty()
                : Period.fromWire(period.asText());
    if (p.isEmpty())
      throw ApiException.invalid("budget.period", "must be one of day, month, total");
    return Optional.of(new Budget(Money.toMicros(amount.asDouble()), p.get()));
  }

  /** A key's own submits per minute; 0 (the node's default) for null or absent. */
  private static int rate(JsonNode r) {
    if (r == null || r.isNull()) return 0;
    if (!r.canConvertToInt() || !r.isIntegralNumber() || r.asInt() < 1 || r.asInt() > 1_000_000) {
      throw ApiException.invalid(
          "rate_limit_per_minute", "must be a whole number from 1 to 1000000, or null");
    }
    return r.asInt();
  }

  /**
   * {@code PATCH /v1/admin/keys/{id}}: a new budget and/or rate limit, on every node within a
   * second. A budget below what is already spent or reserved is allowed: tasks already accepted run
   * and are charged; new submits get 402 until the period ends or the budget is raised.
   */
  void update(Context ctx) {
    String id = ctx.pathParam("id");
    JsonNode body = object(ctx);
    body.fieldNames()
        .forEachRemaining(
            f -> {
              if (!EDITABLE.contains(f))
                throw ApiException.invalid(
                    f, "cannot be changed: a key's budget and rate_limit_per_minute can");
            });
    if (!body.has("budget") && !body.has("rate_limit_per_minute"))
      throw ApiException.invalid("body", "must hold budget and/or rate_limit_per_minute");
    KeyRing.Key key = find(id);
    if (key.revokedAt().isPresent())
      throw new ApiException(409, "KEY_REVOKED", "key " + id + " is revoked", Map.of());
    var change =
        new KeyRing.Change(
            body.has("budget"),
            budget(
                body.get("budget"),
                Optional.of(key.budget().map(Budget::period).orElse(Period.MONTH))),
            body.has("rate_limit_per_minute")
                ? java.util.OptionalInt.of(rate(body.get("rate_limit_per_minute")))
                : java.util.OptionalInt.empty());
    KeyRing.Key now =
        ring.update(id, change)
            .orElseThrow(
                () -> new ApiException(409, "KEY_REVOKED", "key " + id + " is revoked", Map.of()));
    log.info(
        "event=key_updated id={} name=\"{}\" budget={} period={} rate_limit_per_minute={}",
        id,
        now.name(),
        now.budget().map(b -> Money.of(b.amountMicros()).toPlainString()).orElse("none"),
        now.budget().map(b -> b.period().wire()).orElse("none"),
        now.rateLimitPerMinute() == 0 ? "default" : now.rateLimitPerMinute());
    ctx.json(view(now));
  }

  private KeyRing.Key find(String id) {
    return ring.list().stream()
        .filter(k -> k.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new ApiException(404, "KEY_NOT_FOUND", "no key " + id, Map.of()));
  }

  void list(Context ctx) {
    ledger.settlePending(Optional.empty());
    var keys = ring.list().stream().map(this::view).toList();
    ctx.json(Map.of("keys", keys));
  }

  private KeyView view(KeyRing.Key k) {
    var spend = usage.spend(k.id(), k.budget());
    BigDecimal remaining =
        k.budget()
            .map(
                b ->
                    Money.of(
                        Math.max(
                            0, b.amountMicros() - spend.spentMicros() - spend.reservedMicros())))
            .orElse(null);
    return new KeyView(
        k.id(),
        k.name(),
        BudgetView.of(k.budget()),
        k.rateLimitPerMinute() == 0 ? null : k.rateLimitPerMinute(),
        k.createdAt().toString(),
        k.revokedAt().map(Instant::toString).orElse(null),
        Money.of(spend.spentMicros()),
        Money.of(spend.reservedMicros()),
        remaining,
        spend.currency());
  }

  void revoke(Context ctx) {
    String id = ctx.pathParam("id");
    var key = find(id);
    if (ring.revoke(id)) log.info("event=key_revoked id={} name=\"{}\"", id, key.name());
    ctx.json(view(find(id)));
  }

  /** {@code GET /v1/usage}: {@code principal} is empty for the admin key (every key's usage). */
  void usage(Context ctx, Optional<Principal> principal) {
    Usage.GroupBy groupBy = groupBy(ctx.queryParam("group_by"));
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    Instant from =
        instant("from", ctx.queryParam("from"), false).orElse(start(today.withDayOfMonth(1)));
    Instant to = instant("to", ctx.queryParam("to"), true).orElse(start(today.plusDays(1)));
    if (!from.isBefore(to)) throw ApiException.invalid("to", "must be later than from");
    var rows =
        usage.report(principal.map(Principal::tenant), from, to, groupBy).stream()
            .map(
                row -> {
                  var m = new LinkedHashMap<String, Object>();
                  m.put(groupBy.name().toLowerCase(Locale.ROOT), row.group());
                  m.put("tasks", row.tasks());
                  m.put("video_seconds", row.videoSeconds());
                  m.put("cost", Money.of(row.costMicros()));
                  m.put("currency", row.currency());
                  return m;
                })
            .toList();
    var out = new LinkedHashMap<String, Object>();
    out.put("from", from.toString());
    out.put("to", to.toString());
    out.put("group_by", groupBy.name().toLowerCase(Locale.ROOT));
    out.put("rows", rows);
    principal.ifPresent(p -> out.put("key", keySummary(p)));
    ctx.json(out);
  }

  /** The caller's own key: its budget and what is left of it (for the web page). */
  private Map<String, Object> keySummary(Principal p) {
    var m = new LinkedHashMap<String, Object>();
    m.put("name", p.keyName());
    m.put("budget", BudgetView.of(p.budget()));
    if (p.keyId().isPresent()) {
      var spend = usage.spend(p.keyId().get(), p.budget());
      m.put("spend", Money.of(spend.spentMicros()));
      m.put("reserved", Money.of(spend.reservedMicros()));
      m.put(
          "remaining",
          p.budget()
              .map(
                  b ->
                      Money.of(
                          Math.max(
                              0, b.amountMicros() - spend.spentMicros() - spend.reservedMicros())))
              .orElse(null));
      m.put("currency", spend.currency());
    } else {
      m.put("currency", ledger.currency());
    }
    return m;
  }

  private static Usage.GroupBy groupBy(String s) {
    if (s == null || s.isBlank()) return Usage.GroupBy.DAY;
    return switch (s) {
      case "day" -> Usage.GroupBy.DAY;
      case "model" -> Usage.GroupBy.MODEL;
      case "key" -> Usage.GroupBy.KEY;
      default -> throw ApiException.invalid("group_by", "must be one of day, model, key");
    };
  }

  /**
   * {@code 2026-11-01} (a day: its start, or for {@code to} the end of it) or an instant {@code
   * 2026-11-01T12:00:00Z}.
   */
  private static Optional<Instant> instant(String field, String s, boolean endOfDay) {
    if (s == null || s.isBlank()) return Optional.empty();
    try {
      if (s.length() == 10) {
        LocalDate d = LocalDate.parse(s);
        return Optional.of(start(endOfDay ? d.plusDays(1) : d));
      }
      return Optional.of(Instant.parse(s));
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(
          field, "must be a date (2026-11-01) or an instant (2026-11-01T12:00:00Z)");
    }
  }

  private static Instant start(LocalDate d) {
    return d.atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
