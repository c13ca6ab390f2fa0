package dev.tween.queue;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs a unit of work in one transaction (BEGIN IMMEDIATE on SQLite), committing or rolling back. */
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
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException(what + " failed", e);
    }
  }
}
