package dev.tween.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Retention's SQL, on the {@code tasks} columns of V7__retention.sql (the sweep itself is {@code
 * retention.Retention}). A sweeping node claims due tasks with a lease, which in the same write
 * declares their files expired; it deletes the files, then marks the tasks purged. Reads switch to
 * "expired" at the claim, before any file is gone, so no answer ever points at a deleted file; a
 * node that dies after the claim leaves tasks that are expired but not purged, claimed again by any
 * node once the lease ends (deleting is idempotent).
 */
public final class Expirations {
  private static final String DUE =
      " purged_at IS NULL AND finished_at <= ? AND"
          + StatusSql.ended("tasks")
          + " AND (purge_until IS NULL OR purge_until < ?)";

  private final Database db;
  private final Clock clock;

  public Expirations(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * Claims for {@code owner} up to {@code limit} tasks that ended {@code retention} ago or earlier
   * and still have files, oldest first, and sets their {@code expired_at} (kept from an earlier
   * claim). Two nodes never hold the same task: the claim is one conditional UPDATE.
   */
  public List<String> claim(String owner, Duration retention, Duration lease, int limit) {
    long now = clock.millis();
    String sql =
        "UPDATE tasks SET expired_at = COALESCE(expired_at, ?), purge_owner = ?, purge_until = ?"
            + " WHERE id IN (SELECT id FROM tasks WHERE"
            + DUE
            + " ORDER BY finished_at LIMIT ?"
            + db.dialect().forUpdateSkipLocked()
            + ") AND"
            + DUE
            + " RETURNING id";
    long due = now - retention.toMillis();
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, now, owner, now + lease.toMillis(), due, now, limit, due, now);
      List<String> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) ids.add(rs.getString(1));
      }
      return ids;
    } catch (SQLException e) {
      throw db.failure("claim expired tasks", e);
    }
  }

  /**
   * Their files are gone. Returns how many were still {@code owner}'s: a task whose claim another
   * node took over meanwhile is left to that node.
   */
  public int markPurged(String owner, List<String> ids) {
    if (ids.isEmpty()) return 0;
    String marks = ids.stream().map(id -> "?").collect(Collectors.joining(","));
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE tasks SET purged_at = ?, purge_owner = NULL, purge_until = NULL"
                    + " WHERE purge_owner = ? AND id IN ("
                    + marks
                    + ")")) {
      List<Object> args = new ArrayList<>(List.of(clock.millis(), owner));
      args.addAll(ids);
      bind(ps, args.toArray());
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw db.failure("mark tasks purged", e);
    }
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
  }
}
