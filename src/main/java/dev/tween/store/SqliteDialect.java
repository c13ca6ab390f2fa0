package dev.tween.store;

import com.zaxxer.hikari.HikariConfig;
import dev.tween.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * SQLite: WAL, NORMAL sync, busy timeout, and every transaction {@code BEGIN IMMEDIATE} so that two
 * claimers serialize on the write lock instead of failing with SQLITE_BUSY on upgrade.
 */
final class SqliteDialect implements SqlDialect {

  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public void configure(HikariConfig pool) {
    pool.addDataSourceProperty("journal_mode", "WAL");
    pool.addDataSourceProperty("synchronous", "NORMAL");
    pool.addDataSourceProperty("busy_timeout", "10000");
    pool.addDataSourceProperty("transaction_mode", "IMMEDIATE");
    pool.addDataSourceProperty("foreign_keys", "true");
  }

  @Override
  public PreparedStatement prepareClaim(
      Connection c, String owner, long leaseUntil, long now, List<String> generators)
      throws SQLException {
    PreparedStatement ps =
        c.prepareStatement(
            """
        UPDATE tasks SET %s, attempt = attempt + 1, lease_owner = ?, lease_expires_at = ?,
               started_at = COALESCE(started_at, ?), updated_at = ?
         WHERE id = (SELECT id FROM tasks WHERE%s AND generator IN (%s) AND run_after <= ?
                      ORDER BY run_after, created_at, id LIMIT 1)
        RETURNING *"""
                .formatted(
                    StatusSql.to(TaskStatus.PROCESSING),
                    StatusSql.from(TaskStatus.QUEUED, TaskStatus.PROCESSING),
                    SqlDialect.placeholders(generators.size())));
    int i = 1;
    ps.setString(i++, owner);
    ps.setLong(i++, leaseUntil);
    ps.setLong(i++, now);
    ps.setLong(i++, now);
    for (String g : generators) ps.setString(i++, g);
    ps.setLong(i, now);
    return ps;
  }

  @Override
  public boolean isUniqueViolation(SQLException e) {
    return e.getErrorCode() == 19
        || String.valueOf(e.getMessage()).contains("UNIQUE constraint failed");
  }

  @Override
  public String forUpdate() {
    return "";
  }

  @Override
  public String forUpdateSkipLocked() {
    return "";
  }
}
