package dev.tween.store;

import dev.tween.task.Task;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Webhook deliveries due, kept on the task rows: a final state sets {@code webhook_due_at}; a
 * sender claims a due delivery by pushing its due time one lease ahead (so a sender that dies
 * mid-send is retried by another), then records success or the next attempt.
 */
public final class WebhookQueue {
  private final Database db;
  private final Clock clock;
  private final TaskRows rows = new TaskRows();

  public WebhookQueue(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** A claimed delivery: the final task and how many attempts were made before this one. */
  public record Due(Task task, int previousAttempts) {}

  public Optional<Due> claim(Duration lease) {
    long now = clock.millis();
    return Transactions.inTransaction(
        db,
        "webhook claim",
        c -> {
          String id = null;
          int attempts = 0;
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
          SELECT id, webhook_attempts FROM tasks WHERE webhook_due_at <= ?
           ORDER BY webhook_due_at LIMIT 1"""
                      + db.dialect().forUpdateSkipLocked())) {
            ps.setLong(1, now);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                id = rs.getString(1);
                attempts = rs.getInt(2);
              }
            }
          }
          if (id == null) return Optional.<Due>empty();
          try (PreparedStatement up =
              c.prepareStatement(
                  "UPDATE tasks SET webhook_due_at = ?, webhook_attempts = webhook_attempts + 1 WHERE id = ?")) {
            up.setLong(1, now + lease.toMillis());
            up.setString(2, id);
            up.executeUpdate();
          }
          return Optional.of(new Due(load(c, id), attempts));
        });
  }

  public void delivered(String taskId) {
    write(
        "UPDATE tasks SET webhook_due_at = NULL, webhook_delivered_at = ?, webhook_last_error = NULL WHERE id = ?",
        clock.millis(),
        taskId);
  }

  public void retryAt(String taskId, long dueAtMs, String error) {
    write(
        "UPDATE tasks SET webhook_due_at = ?, webhook_last_error = ? WHERE id = ?",
        dueAtMs,
        error,
        taskId);
  }

  public void giveUp(String taskId, String error) {
    write(
        "UPDATE tasks SET webhook_due_at = NULL, webhook_last_error = ? WHERE id = ?",
        error,
        taskId);
  }

  private Task load(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM tasks WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rows.task(rs);
      }
    }
  }

  private void write(String sql, Object... args) {
    Transactions.inTransaction(
        db,
        "webhook update",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            return ps.executeUpdate();
          }
        });
  }
}
