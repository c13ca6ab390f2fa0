package dev.tween.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Prepared statements kept per physical connection, for the few queries on the hot read path
 * (task-result polls). Compiling the SQL again on every poll was a third of the request's cost on
 * SQLite. Statements are prepared on the pool's underlying connection, which only one borrower uses
 * at a time, so each cached statement is used by one thread at a time.
 */
final class StatementCache {
  private final Map<Connection, Map<String, PreparedStatement>> byConnection =
      Collections.synchronizedMap(new WeakHashMap<>());

  PreparedStatement prepare(Connection pooled, String sql) throws SQLException {
    Connection physical =
        pooled.isWrapperFor(Connection.class) ? pooled.unwrap(Connection.class) : pooled;
    Map<String, PreparedStatement> statements = byConnection.get(physical);
    if (statements == null) {
      // A new physical connection: forget the ones the pool has closed (their statements hold
      // them).
      synchronized (byConnection) {
        byConnection.keySet().removeIf(StatementCache::closed);
      }
      statements = byConnection.computeIfAbsent(physical, c -> new HashMap<>());
    }
    PreparedStatement ps = statements.get(sql);
    if (ps == null || ps.isClosed()) {
      ps = physical.prepareStatement(sql);
      statements.put(sql, ps);
    }
    ps.clearParameters();
    return ps;
  }

  private static boolean closed(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }
}
