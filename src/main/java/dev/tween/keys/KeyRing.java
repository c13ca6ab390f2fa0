package dev.tween.keys;

import dev.tween.store.Database;
import dev.tween.store.Transactions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys created through the admin routes, stored as SHA-256 hashes of their secrets. Lookups are
 * cached for at most {@link #CACHE}, so a key revoked on any node stops working everywhere within
 * it.
 */
public final class KeyRing {
  static final Duration CACHE = Duration.ofMillis(500);
  private static final int CACHE_LIMIT = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database db;
  private final Clock clock;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Optional<Principal> principal, long at) {}

  /** A key as the admin routes show it; never its secret. */
  public record Key(
      String id,
      String name,
      Optional<Budget> budget,
      int rateLimitPerMinute,
      Instant createdAt,
      Optional<Instant> revokedAt) {}

  /** A new key and its secret, which exists nowhere else once this is returned. */
  public record Created(Key key, String secret) {}

  public KeyRing(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public Created create(String name, Optional<Budget> budget, int rateLimitPerMinute) {
    byte[] raw = new byte[24];
    RANDOM.nextBytes(raw);
    String secret = "tw_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    byte[] idBytes = new byte[6];
    RANDOM.nextBytes(idBytes);
    String id = "key_" + HexFormat.of().formatHex(idBytes);
    Instant now = Instant.ofEpochMilli(clock.millis());
    Transactions.inTransaction(
        db,
        "create key",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
          INSERT INTO api_keys (id, name, key_hash, budget_micros, budget_period, rate_limit_per_minute, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, id);
            ps.setString(2, name);
            ps.setString(3, hash(secret));
            if (budget.isPresent()) {
              ps.setLong(4, budget.get().amountMicros());
              ps.setString(5, budget.get().period().wire());
            } else {
              ps.setNull(4, Types.BIGINT);
              ps.setNull(5, Types.VARCHAR);
            }
            ps.setInt(6, rateLimitPerMinute);
            ps.setLong(7, now.toEpochMilli());
            ps.executeUpdate();
          }
          return null;
        });
    return new Created(
        new Key(id, name, budget, rateLimitPerMinute, now, Optional.empty()), secret);
  }

  public List<Key> list() {
    return Transactions.read(
        db,
        "listing keys",
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT * FROM api_keys ORDER BY created_at, id");
              ResultSet rs = ps.executeQuery()) {
            var out = new ArrayList<Key>();
            while (rs.next()) out.add(key(rs));
            return out;
          }
        });
  }

  /** Revokes the key; false when there is no such key or it was already revoked. */
  public boolean revoke(String id) {
    boolean done =
        Transactions.inTransaction(
            db,
            "revoke key",
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                ps.setLong(1, clock.millis());
                ps.setString(2, id);
                return ps.executeUpdate() == 1;
              }
            });
    cache.clear();
    return done;
  }

  /**
   * What an admin changes of a key's limits; a field it leaves out stays as it is.
   *
   * @param changesBudget whether the budget changes, to {@code budget} (empty: no budget)
   * @param rateLimitPerMinute the key's own submit limit, 0 for the node's default; empty:
   *     unchanged
   */
  public record Change(
      boolean changesBudget, Optional<Budget> budget, java.util.OptionalInt rateLimitPerMinute) {}

  /**
   * Applies {@code change} to a live key, each field in one statement of one transaction, so that
   * two changes of different fields never undo each other. Every node sees it within {@link
   * #CACHE}. Empty when there is no live key {@code id}.
   */
  public Optional<Key> update(String id, Change change) {
    boolean found =
        Transactions.inTransaction(
            db,
            "update key",
            c -> {
              int rows = 0;
              if (change.changesBudget()) {
                try (PreparedStatement ps =
                    c.prepareStatement(
                        "UPDATE api_keys SET budget_micros = ?, budget_period = ?"
                            + " WHERE id = ? AND revoked_at IS NULL")) {
                  if (change.budget().isPresent()) {
                    ps.setLong(1, change.budget().get().amountMicros());
                    ps.setString(2, change.budget().get().period().wire());
                  } else {
                    ps.setNull(1, Types.BIGINT);
                    ps.setNull(2, Types.VARCHAR);
                  }
                  ps.setString(3, id);
                  rows += ps.executeUpdate();
                }
              }
              if (change.rateLimitPerMinute().isPresent()) {
                try (PreparedStatement ps =
                    c.prepareStatement(
                        "UPDATE api_keys SET rate_limit_per_minute = ?"
                            + " WHERE id = ? AND revoked_at IS NULL")) {
                  ps.setInt(1, change.rateLimitPerMinute().getAsInt());
                  ps.setString(2, id);
                  rows += ps.executeUpdate();
                }
              }
              return rows > 0;
            });
    cache.clear();
    return found ? list().stream().filter(k -> k.id().equals(id)).findFirst() : Optional.empty();
  }

  public boolean exists(String id) {
    return list().stream().anyMatch(k -> k.id().equals(id));
  }

  /** The principal of a live key with this secret, or empty (unknown or revoked). */
  public Optional<Principal> authenticate(String secret) {
    String h = hash(secret);
    long now = clock.millis();
    Cached hit = cache.get(h);
    // A clock set back makes the age negative: look the key up again rather than trust it longer.
    if (hit != null && now - hit.at() >= 0 && now - hit.at() < CACHE.toMillis())
      return hit.principal();
    Optional<Principal> found = lookup(h);
    if (cache.size() >= CACHE_LIMIT) cache.clear();
    cache.put(h, new Cached(found, now));
    return found;
  }

  private Optional<Principal> lookup(String keyHash) {
    return Transactions.read(
        db,
        "key lookup",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL")) {
            ps.setString(1, keyHash);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) return Optional.empty();
              // The database found the row by its hash; compare once more in constant time all the
              // same.
              if (!MessageDigest.isEqual(
                  rs.getString("key_hash").getBytes(StandardCharsets.US_ASCII),
                  keyHash.getBytes(StandardCharsets.US_ASCII))) {
                return Optional.empty();
              }
              Key k = key(rs);
              return Optional.of(
                  new Principal(
                      Principal.tenantOf(k.id()),
                      k.name(),
                      Optional.of(k.id()),
                      k.budget(),
                      k.rateLimitPerMinute()));
            }
          }
        });
  }

  private static Key key(ResultSet rs) throws SQLException {
    long budget = rs.getLong("budget_micros");
    Optional<Budget> b =
        rs.wasNull()
            ? Optional.empty()
            : Optional.of(
                new Budget(
                    budget, Period.fromWire(rs.getString("budget_period")).orElse(Period.TOTAL)));
    long revoked = rs.getLong("revoked_at");
    Optional<Instant> r =
        rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(revoked));
    return new Key(
        rs.getString("id"),
        rs.getString("name"),
        b,
        rs.getInt("rate_limit_per_minute"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        r);
  }

  static String hash(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
