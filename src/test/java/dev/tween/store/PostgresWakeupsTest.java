package dev.tween.store;

import static dev.tween.testing.Specs.ANY_GENERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.testing.MutableClock;
import dev.tween.testing.PostgresServer;
import dev.tween.testing.Specs;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LISTEN/NOTIFY between nodes: a queued task reaches every listener, also after a lost connection.
 */
class PostgresWakeupsTest {
  final Semaphore wakes = new Semaphore(0);
  Database db;
  TaskStore store;
  WakeupChannel channel;

  @BeforeEach
  void open() {
    db = Database.open(PostgresServer.get().freshDatabase(), PostgresServer.USER, "", 4);
    store = new JdbcTaskStore(db, new MutableClock());
    channel = db.wakeups();
    channel.start(wakes::release);
  }

  @AfterEach
  void close() {
    channel.close();
    db.close();
  }

  String submit() {
    String id = UUID.randomUUID().toString();
    store.insert(new NewTask(id, "a", Specs.simple(), Optional.empty()));
    return id;
  }

  boolean woken() throws InterruptedException {
    return wakes.tryAcquire(10, TimeUnit.SECONDS);
  }

  @Test
  void aSubmitOnAnyNodeWakesTheListener() throws Exception {
    submit();
    assertThat(woken()).isTrue();
  }

  @Test
  void aTaskGivenBackToTheQueueWakesTheListenerToo() throws Exception {
    submit();
    assertThat(woken()).isTrue();
    Claim c = store.claim("w", Duration.ofSeconds(60), ANY_GENERATOR).orElseThrow();
    wakes.drainPermits();
    assertThat(store.release(c)).isTrue();
    assertThat(woken()).isTrue();
  }

  @Test
  void aKilledListeningConnectionIsReplacedAndWakesOnce() throws Exception {
    try (Connection c = db.connection();
        Statement s = c.createStatement()) {
      s.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN "
              + PostgresWakeups.CHANNEL
              + "'");
    }
    assertThat(woken()).as("a wake-up after reconnecting covers what was missed").isTrue();
    wakes.drainPermits();
    submit();
    assertThat(woken()).isTrue();
  }
}
