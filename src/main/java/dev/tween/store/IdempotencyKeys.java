package dev.tween.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code Idempotency-Key} reservations per tenant for 24 h. A key is reserved before the task is
 * created and bound to the task id in the same transaction that inserts the task.
 */
public final class IdempotencyKeys {
  public static final Duration RETENTION = Duration.ofHours(24);

  /** A reservation whose creation never finished (the node died) may be taken over after this. */
  static final Duration ABANDONED_AFTER = Duration.ofMinutes(2);

  private final Database db;
  private final Clock clock;

  public IdempotencyKeys(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** What to do with a submit carrying an idempotency key. */
  public sealed interface Reservation {
    /** The key is ours: create the task and bind it. */
    record Reserved() implements Reservation {}

    /** Same key, same body: answer with the task created before. */
    record Replay(String taskId) implements Reservation {}

    /** Same key, different body. */
    record Mismatch() implements Reservation {}

    /** Same key, the first request is still creating its task. */
    record InFlight() implements Reservation {}
  }

  public Reservation reserve(String tenant, String key, String bodySha256) {
    long now = clock.millis();
    return Transactions.inTransaction(
        db,
        "idempotency reservation",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT body_sha256, task_id, created_at FROM idempotency_keys WHERE tenant = ? AND idem_key = ?"
                      + db.dialect().forUpdate())) {
            ps.setString(1, tenant);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                String hash = rs.getString(1);
                String taskId = rs.getString(2);
                long created = rs.getLong(3);
                boolean expired = now - created > RETENTION.toMillis();
                boolean abandoned = taskId == null && now - created > ABANDONED_AFTER.toMillis();
                if (!expired && !abandoned) {
                  if (!hash.equals(bodySha256)) return new Reservation.Mismatch();
                  return taskId == null
                      ? new Reservation.InFlight()
                      : new Reservation.Replay(taskId);
                }
                delete(c, tenant, key);
              }
            }
          }
          try (PreparedStatement ins =
              c.prepareStatement(
                  """
          INSERT INTO idempotency_keys (tenant, idem_key, body_sha256, created_at) VALUES (?, ?, ?, ?)
          ON CONFLICT (tenant, idem_key) DO NOTHING""")) {
            ins.setString(1, tenant);
            ins.setString(2, key);
            ins.setString(3, bodySha256);
            ins.setLong(4, now);
            if (ins.executeUpdate() == 1) return new Reservation.Reserved();
          }
          // Another node reserved the same key a moment ago (PostgreSQL waited for its commit):
          // answer as
          // for any repeat of the key.
          return existing(c, tenant, key, bodySha256);
        });
  }

  private static Reservation existing(Connection c, String tenant, String key, String bodySha256)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT body_sha256, task_id FROM idempotency_keys WHERE tenant = ? AND idem_key = ?")) {
      ps.setString(1, tenant);
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next())
          throw new SQLException("idempotency key " + key + " vanished while reserving it");
        if (!rs.getString(1).equals(bodySha256)) return new Reservation.Mismatch();
        String taskId = rs.getString(2);
        return taskId == null ? new Reservation.InFlight() : new Reservation.Replay(taskId);
      }
    }
  }

  /** Frees a reservation whose task could not be created, so a corrected retry may use the key. */
  public void release(String tenant, String key) {
    Transactions.inTransaction(
        db,
        "idempotency release",
        c -> {
          delete(c, tenant, key);
          return null;
        });
  }

  /** Binds the key to its task inside the transaction that inserts the task. */
  static void bind(Connection c, String tenant, String key, String taskId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE idempotency_keys SET task_id = ? WHERE tenant = ? AND idem_key = ? AND task_id IS NULL")) {
      ps.setString(1, taskId);
      ps.setString(2, tenant);
      ps.setString(3, key);
      if (ps.executeUpdate() != 1)
        throw new SQLException("idempotency key " + key + " is no longer reserved");
    }
  }

  /** Deletes reservations past the retention period; returns how many. */
  public int purgeExpired() {
    return Transactions.inTransaction(
        db,
        "idempotency purge",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM idempotency_keys WHERE created_at < ?")) {
            ps.setLong(1, clock.millis() - RETENTION.toMillis());
            return ps.executeUpdate();
          }
        });
  }

  private static void delete(Connection c, String tenant, String key) throws SQLException {
    try (PreparedStatement del =
        c.prepareStatement("DELETE FROM idempotency_keys WHERE tenant = ? AND idem_key = ?")) {
      del.setString(1, tenant);
      del.setString(2, key);
      del.executeUpdate();
    }
  }
}
