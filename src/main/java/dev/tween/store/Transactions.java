package dev.tween.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How code outside this package runs SQL: a unit of work in one transaction (BEGIN IMMEDIATE on
 * SQLite), committing or rolling back, or a read on its own. Either way a failure is mapped once by
 * {@link Database#failure}: an unreachable database opens its circuit and becomes a 503 with
 * Retry-After, anything else a {@link StoreException}.
 */
public final class Transactions {
  private Transactions() {}

  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  public static <T> T inTransaction(Database db, String what, Work<T> work) {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        // On a broken connection the rollback fails too; the first error is the one to report.
        rollbackQuietly(c);
        throw e;
      } finally {
        restoreAutoCommit(c);
      }
    } catch (SQLException e) {
      throw db.failure(what, e);
    }
  }

  /** Runs {@code work}, which only reads, on a connection of its own in autocommit mode. */
  public static <T> T read(Database db, String what, Work<T> work) {
    try (Connection c = db.connection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw db.failure(what, e);
    }
  }

  private static void restoreAutoCommit(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException ignored) {
      // a broken connection: the pool discards it (and resets the flag on a healthy one anyway)
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is gone; the pool discards it
    }
  }
}
