package dev.tween.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.testing.TestNode;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The budget contract on SQLite: two nodes share one database file. */
class SqliteBudgetTest extends BudgetContract {
  @Override
  Map<String, String> databaseFlags() {
    return Map.of("db-url", "jdbc:sqlite:" + dir.resolve("shared.db"));
  }

  @Test
  void adminRoutesAnswer404WithoutAnAdminKey() throws Exception {
    try (TestNode n =
        TestNode.start(dir.resolve("plain"), Optional.empty(), Map.of("workers", "0"))) {
      var r = n.get("/v1/admin/keys", TestNode.KEY);
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.body()).contains("TWEEN_ADMIN_KEY");
      assertThat(n.get("/v1/usage", TestNode.KEY).statusCode()).isEqualTo(200);
    }
  }
}
