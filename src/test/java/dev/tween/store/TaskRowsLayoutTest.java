package dev.tween.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TaskRows reads by position: the migrated table must keep V1's columns first and in order. */
class TaskRowsLayoutTest {
  @TempDir Path dir;

  @Test
  void firstColumnsAreTheOnesTaskRowsExpects() throws Exception {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("t.db"), "", "", 2);
        var c = db.connection();
        var rs = c.createStatement().executeQuery("SELECT * FROM tasks")) {
      var md = rs.getMetaData();
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) names.add(md.getColumnName(i));
      assertThat(names.subList(0, 20))
          .containsExactly(
              "id",
              "tenant",
              "status",
              "spec",
              "progress",
              "eta_seconds",
              "samples",
              "reason",
              "attempt",
              "failures",
              "crashes",
              "cancel_requested",
              "resume_state",
              "lease_owner",
              "lease_expires_at",
              "run_after",
              "created_at",
              "started_at",
              "finished_at",
              "updated_at");
    }
  }

  @Test
  void postgresKeepsTheSameLayout() throws Exception {
    List<String> sqlite;
    List<String> postgres;
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("l.db"), "", "", 2)) {
      sqlite = columns(db);
    }
    var pg = dev.tween.testing.PostgresServer.get();
    try (Database db =
        Database.open(pg.freshDatabase(), dev.tween.testing.PostgresServer.USER, "", 2)) {
      postgres = columns(db);
    }
    assertThat(postgres).containsExactlyElementsOf(sqlite);
  }

  private static List<String> columns(Database db) throws Exception {
    try (var c = db.connection();
        var rs = c.createStatement().executeQuery("SELECT * FROM tasks")) {
      var md = rs.getMetaData();
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) names.add(md.getColumnName(i));
      return names;
    }
  }
}
