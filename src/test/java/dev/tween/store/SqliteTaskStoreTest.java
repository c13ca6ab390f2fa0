package dev.tween.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteTaskStoreTest extends TaskStoreContract {
  @TempDir Path dir;

  @Override
  Database openFreshDatabase() {
    return Database.open("jdbc:sqlite:" + dir.resolve("tween.db"), "", "", 4);
  }
}
