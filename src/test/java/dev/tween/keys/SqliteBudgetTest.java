package dev.tween.keys;

import java.util.Map;

/** The budget contract on SQLite: two nodes share one database file. */
class SqliteBudgetTest extends BudgetContract {
  @Override
  Map<String, String> databaseFlags() {
    return Map.of("db-url", "jdbc:sqlite:" + dir.resolve("shared.db"));
  }
}
