package dev.tween.store;

import dev.tween.testing.PostgresServer;

/** The queue contract on a real PostgreSQL (started once per JVM by {@link PostgresServer}). */
class PostgresTaskStoreTest extends TaskStoreContract {
  @Override
  Database openFreshDatabase() {
    return Database.open(PostgresServer.get().freshDatabase(), PostgresServer.USER, "", 8);
  }
}
