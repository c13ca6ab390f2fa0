package dev.tween.store;

import com.zaxxer.hikari.HikariConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** What differs between the databases the task store runs on. Everything else is shared SQL. */
interface SqlDialect {

  String name();

  /** Connection settings (pragmas, transaction mode) applied to the pool. */
  void configure(HikariConfig pool);

  /**
   * How long to wait for a connection and for an answer before the database counts as unreachable.
   * Nothing by default: an embedded database has no network to lose.
   */
  default void configureTimeouts(HikariConfig pool, java.time.Duration socketTimeout) {}

  /** Flyway locations: the shared migrations plus this database's own. */
  default List<String> migrationLocations() {
    return List.of("classpath:db/common", "classpath:db/" + name());
  }

  /**
   * A statement that atomically moves the oldest ready QUEUED task of one of {@code generators} to
   * PROCESSING for {@code owner} and returns its row ({@code RETURNING *}).
   */
  PreparedStatement prepareClaim(
      Connection c, String owner, long leaseUntil, long now, List<String> generators)
      throws SQLException;

  /** {@code ?, ?, ?}: one placeholder per value. */
  static String placeholders(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  boolean isUniqueViolation(SQLException e);

  /**
   * Suffix that row-locks a SELECT inside a transaction ({@code FOR UPDATE}), empty where the whole
   * database is locked.
   */
  String forUpdate();

  /**
   * Like {@link #forUpdate()} but skipping rows another transaction holds (claims by several
   * nodes).
   */
  String forUpdateSkipLocked();

  /** How nodes sharing this database wake each other's idle workers; none by default. */
  default WakeupChannel wakeups(Database db) {
    return WakeupChannel.none();
  }

  static SqlDialect forUrl(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) return new SqliteDialect();
    if (jdbcUrl.startsWith("jdbc:postgresql:")) return new PostgresDialect();
    throw new IllegalArgumentException("unsupported database URL " + jdbcUrl);
  }
}
