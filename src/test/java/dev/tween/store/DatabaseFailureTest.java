package dev.tween.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.health.DependencyUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which SQL errors mean "the database is unreachable" (503, circuit opens) and which are plain
 * failures.
 */
class DatabaseFailureTest {
  @TempDir Path dir;

  @Test
  void connectionClassErrorsOpenTheCircuitOthersDoNot() throws Exception {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("f.db"), "", "", 2)) {
      List<Boolean> changes = new CopyOnWriteArrayList<>();
      db.circuit().onChange(changes::add);
      RuntimeException unique = db.failure("insert", new SQLException("duplicate key", "23505"));
      assertThat(unique).isInstanceOf(StoreException.class);
      assertThat(db.circuit().isUp()).isTrue();

      RuntimeException busy =
          db.failure(
              "query",
              new SQLTransientConnectionException(
                  "tween-db - Connection is not available, request timed out after 1000ms"));
      assertThat(busy)
          .isInstanceOfSatisfying(
              DependencyUnavailableException.class,
              e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1)));
      assertThat(db.circuit().isUp()).as("a busy pool is no outage").isTrue();
      assertThat(changes).isEmpty();

      RuntimeException gone =
          db.failure(
              "query",
              new SQLException(
                  "An I/O error occurred while sending to the backend.",
                  "08006",
                  new IOException("reset")));
      assertThat(gone).isInstanceOf(DependencyUnavailableException.class);
      // the probe may close it again at once (SQLite answers): the opening itself is what counts
      assertThat(changes).as("the circuit opened").startsWith(false);
      // SQLite answers the probe: the circuit closes again on its own
      assertThat(db.circuit().awaitUp(Duration.ofSeconds(3))).isTrue();
    }
    for (String state : new String[] {"08001", "08006", "57P01", "57P03"}) {
      assertThat(Database.unreachable(new SQLException("x", state))).as(state).isTrue();
    }
    assertThat(
            Database.unreachable(
                new SQLException("wrapped", null, new SQLException("refused", "08001"))))
        .isTrue();
    assertThat(Database.unreachable(new SQLException("syntax", "42601"))).isFalse();
  }
}
