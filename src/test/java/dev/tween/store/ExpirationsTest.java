package dev.tween.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.testing.MutableClock;
import dev.tween.testing.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claims of due tasks on both databases: only tasks that ended a retention ago, never a queued or
 * running one, and never one task to two claimers, also when several claim at once.
 */
class ExpirationsTest {
  static final Duration RETENTION = Duration.ofSeconds(10);
  final MutableClock clock = new MutableClock();
  @TempDir Path dir;

  @Test
  void sqlite() throws Exception {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("t.db"), "", "", 8)) {
      claimsEachDueTaskOnce(db);
    }
  }

  @Test
  void postgres() throws Exception {
    var pg = PostgresServer.get();
    try (Database db = Database.open(pg.freshDatabase(), PostgresServer.USER, "", 8)) {
      claimsEachDueTaskOnce(db);
    }
  }

  void claimsEachDueTaskOnce(Database db) throws Exception {
    long now = clock.millis();
    for (int i = 0; i < 60; i++) insert(db, "done-" + i, "SUCCEED", now - 11_000);
    insert(db, "failed", "FAILED", now - 11_000);
    insert(db, "recent", "SUCCEED", now - 9_000);
    insert(db, "queued", "QUEUED", null);
    insert(db, "running", "PROCESSING", null);

    List<Future<List<String>>> claimers = new ArrayList<>();
    try (var pool = Executors.newFixedThreadPool(4)) {
      for (int n = 0; n < 4; n++) {
        String owner = "node-" + n;
        Callable<List<String>> claimAll =
            () -> {
              var mine = new ArrayList<String>();
              var expirations = new Expirations(db, clock);
              List<String> batch;
              while (!(batch = expirations.claim(owner, RETENTION, Duration.ofMinutes(2), 5))
                  .isEmpty()) {
                mine.addAll(batch);
                assertThat(expirations.markPurged(owner, batch)).isEqualTo(batch.size());
              }
              return mine;
            };
        claimers.add(pool.submit(claimAll));
      }
    }
    Set<String> all = new HashSet<>();
    int total = 0;
    for (var f : claimers) {
      List<String> mine = f.get();
      total += mine.size();
      all.addAll(mine);
    }
    assertThat(total).as("no task claimed twice").isEqualTo(all.size());
    assertThat(all).hasSize(61).contains("failed").doesNotContain("recent", "queued", "running");

    clock.advance(Duration.ofSeconds(2));
    var expirations = new Expirations(db, clock);
    assertThat(expirations.claim("late", RETENTION, Duration.ofMinutes(2), 100))
        .containsExactly("recent");
    assertThat(expirations.claim("other", RETENTION, Duration.ofMinutes(2), 100))
        .as("still claimed by late")
        .isEmpty();
    assertThat(expirations.markPurged("other", List.of("recent"))).isZero();
  }

  private static void insert(Database db, String id, String status, Long finishedAt)
      throws Exception {
    try (var c = db.connection();
        var ps =
            c.prepareStatement(
                "INSERT INTO tasks (id, tenant, status, spec, run_after, created_at, updated_at,"
                    + " finished_at) VALUES (?, 't', ?, '{}', 0, 0, 0, ?)")) {
      ps.setString(1, id);
      ps.setString(2, status);
      if (finishedAt == null) ps.setNull(3, java.sql.Types.BIGINT);
      else ps.setLong(3, finishedAt);
      ps.executeUpdate();
    }
  }
}
