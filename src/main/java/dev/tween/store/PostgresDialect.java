package dev.tween.store;

import com.zaxxer.hikari.HikariConfig;
import dev.tween.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** PostgreSQL: claims skip rows other nodes hold locked, so N nodes never wait on each other. */
final class PostgresDialect implements SqlDialect {

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public void configure(HikariConfig pool) {
    pool.addDataSourceProperty("reWriteBatchedInserts", "true");
  }

  /**
   * Short enough that, while PostgreSQL is unreachable, a request gets its 503 within 2 s: TCP
   * connect 1 s, login 2 s, a free pooled connection 1 s, validating one 0.5 s. The socket timeout
   * bounds a statement on a connection whose peer vanished without closing it.
   */
  @Override
  public void configureTimeouts(HikariConfig pool, java.time.Duration socketTimeout) {
    pool.setConnectionTimeout(1_000);
    pool.setValidationTimeout(500);
    // No idle minimum: while the database is down the pool does not retry in the background with a
    // growing backoff, which would leave it empty for seconds after the database is back.
    pool.setMinimumIdle(0);
    pool.addDataSourceProperty("connectTimeout", "1");
    pool.addDataSourceProperty("loginTimeout", "2");
    pool.addDataSourceProperty(
        "socketTimeout", Long.toString(Math.max(1, socketTimeout.toSeconds())));
  }

  @Override
  public PreparedStatement prepareClaim(
      Connection c, String owner, long leaseUntil, long now, List<String> generators)
      throws SQLException {
    PreparedStatement ps =
        c.prepareStatement(
            """
        WITH next AS (
          SELECT id FROM tasks WHERE%s AND generator IN (%s) AND run_after <= ?
           ORDER BY run_after, created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
        UPDATE tasks t SET %s, attempt = t.attempt + 1, lease_owner = ?, lease_expires_at = ?,
               started_at = COALESCE(t.started_at, ?), updated_at = ?
          FROM next WHERE t.id = next.id
        RETURNING t.*"""
                .formatted(
                    StatusSql.from(TaskStatus.QUEUED, TaskStatus.PROCESSING),
                    SqlDialect.placeholders(generators.size()),
                    StatusSql.to(TaskStatus.PROCESSING)));
    int i = 1;
    for (String g : generators) ps.setString(i++, g);
    ps.setLong(i++, now);
    ps.setString(i++, owner);
    ps.setLong(i++, leaseUntil);
    ps.setLong(i++, now);
    ps.setLong(i, now);
    return ps;
  }

  @Override
  public boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  @Override
  public String forUpdate() {
    return " FOR UPDATE";
  }

  @Override
  public WakeupChannel wakeups(Database db) {
    return new PostgresWakeups(db);
  }

  @Override
  public String forUpdateSkipLocked() {
    return " FOR UPDATE SKIP LOCKED";
  }
}
