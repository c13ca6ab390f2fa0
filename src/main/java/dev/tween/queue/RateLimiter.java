package dev.tween.queue;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;

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
  public java.util.Optional<Duration> tryAcquire(String tenant) {
    long now = clock.millis();
    return Transactions.inTransaction(db, "rate limit", c -> {
      double tokens = burst;
      boolean exists = false;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT tokens, updated_at FROM rate_buckets WHERE tenant = ?" + db.dialect().forUpdate())) {
        ps.setString(1, tenant);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            exists = true;
            tokens = Math.min(burst, rs.getDouble(1) + Math.max(0, now - rs.getLong(2)) * perMs);
          }
        }
      }
      boolean allowed = tokens >= 1;
      if (allowed) tokens -= 1;
      String sql = exists
          ? "UPDATE rate_buckets SET tokens = ?, updated_at = ? WHERE tenant = ?"
          : "INSERT INTO rate_buckets (tokens, updated_at, tenant) VALUES (?, ?, ?)";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setDouble(1, tokens);
        ps.setLong(2, now);
        ps.setString(3, tenant);
        ps.executeUpdate();
      }
      if (allowed) return java.util.Optional.<Duration>empty();
      long waitMs = perMs <= 0 ? 60_000 : (long) Math.ceil((1 - tokens) / perMs);
      return java.util.Optional.of(Duration.ofMillis(waitMs));
    });
  }
}
