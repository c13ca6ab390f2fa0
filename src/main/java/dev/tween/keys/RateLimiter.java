package dev.tween.keys;

import dev.tween.store.Database;
import dev.tween.store.Transactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Per-tenant token buckets kept in the database, so every node enforces the same limit. A bucket
 * holds up to {@code burst} tokens and refills at {@code perMinute} tokens a minute.
 */
public final class RateLimiter {
  private final Database db;
  private final Clock clock;
  private final double perMs;
  private final double burst;

  public RateLimiter(Database db, Clock clock, int perMinute, int burst) {
    this.db = db;
    this.clock = clock;
    this.perMs = perMinute / 60_000.0;
    this.burst = Math.max(1, burst);
  }

  /** Takes one token: empty when allowed, else how long until one is available. */
  public Optional<Duration> tryAcquire(String tenant) {
    long now = clock.millis();
    return Transactions.inTransaction(
        db,
        "rate limit",
        c -> {
          // Create the bucket first (a no-op when it exists) so that the row lock below serializes
          // every node, including two nodes serving a tenant's very first submits at the same
          // moment.
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO rate_buckets (tenant, tokens, updated_at) VALUES (?, ?, ?) ON CONFLICT (tenant) DO NOTHING")) {
            ps.setString(1, tenant);
            ps.setDouble(2, burst);
            ps.setLong(3, now);
            ps.executeUpdate();
          }
          double tokens;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT tokens, updated_at FROM rate_buckets WHERE tenant = ?"
                      + db.forUpdate())) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              tokens = Math.min(burst, rs.getDouble(1) + Math.max(0, now - rs.getLong(2)) * perMs);
            }
          }
          boolean allowed = tokens >= 1;
          if (allowed) tokens -= 1;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE rate_buckets SET tokens = ?, updated_at = ? WHERE tenant = ?")) {
            ps.setDouble(1, tokens);
            ps.setLong(2, now);
            ps.setString(3, tenant);
            ps.executeUpdate();
          }
          if (allowed) return Optional.<Duration>empty();
          long waitMs = perMs <= 0 ? 60_000 : (long) Math.ceil((1 - tokens) / perMs);
          return Optional.of(Duration.ofMillis(waitMs));
        });
  }
}
