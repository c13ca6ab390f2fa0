package dev.tween.keys;

import dev.tween.testing.PostgresServer;
import java.util.Map;

/** The budget contract on a real PostgreSQL: every node of a test on one fresh database. */
class PostgresBudgetTest extends BudgetContract {
  private String dbUrl;

  @Override
  Map<String, String> databaseFlags() {
    if (dbUrl == null) dbUrl = PostgresServer.get().freshDatabase();
    return Map.of("db-url", dbUrl, "db-user", PostgresServer.USER);
  }
}
