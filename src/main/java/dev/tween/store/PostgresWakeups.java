package dev.tween.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LISTEN tween_tasks} on a dedicated connection (the trigger of migration V3_1 notifies).
 * The listening thread owns the connection; when it breaks it reconnects with backoff and wakes the
 * workers once, since notifications sent meanwhile are lost.
 */
final class PostgresWakeups implements WakeupChannel {
  private static final Logger log = LoggerFactory.getLogger(PostgresWakeups.class);
  static final String CHANNEL = "tween_tasks";

  /** How long one wait for notifications blocks; bounds how long {@link #close()} takes. */
  private static final int WAIT_MS = 500;

  /** A silent connection may be half-open; check it this often. */
  private static final Duration VALIDATE_EVERY = Duration.ofSeconds(30);

  /** Short: after an outage, other nodes' submits should wake this node again within seconds. */
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(4);

  private final Database db;
  private volatile boolean running;
  private Thread thread;

  PostgresWakeups(Database db) {
    this.db = db;
  }

  @Override
  public void start(Runnable onWake) {
    Connection first;
    try {
      first = listen();
    } catch (SQLException e) {
      throw db.failure("LISTEN " + CHANNEL, e);
    }
    running = true;
    thread = Thread.ofPlatform().daemon().name("tween-wakeups").start(() -> loop(first, onWake));
    log.info("event=wakeup_listening channel={}", CHANNEL);
  }

  private Connection listen() throws SQLException {
    Connection c = db.unpooledConnection();
    try (Statement s = c.createStatement()) {
      s.execute("LISTEN " + CHANNEL);
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private void loop(Connection initial, Runnable onWake) {
    Connection c = initial;
    long backoffMs = 500;
    long lastValidated = System.nanoTime();
    while (running) {
      try {
        if (c == null) {
          c = listen();
          backoffMs = 500;
          log.info("event=wakeup_reconnected channel={}", CHANNEL);
          onWake.run();
        }
        PGNotification[] got = c.unwrap(PGConnection.class).getNotifications(WAIT_MS);
        if (got != null && got.length > 0) onWake.run();
        if (System.nanoTime() - lastValidated > VALIDATE_EVERY.toNanos()) {
          if (!c.isValid(5)) throw new SQLException("listening connection is no longer valid");
          lastValidated = System.nanoTime();
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) break;
        // The database circuit logs the outage once; here only the first loss of a streak is worth
        // a line.
        if (backoffMs == 500) log.info("event=wakeup_connection_lost error=\"{}\"", e.toString());
        closeQuietly(c);
        c = null;
        sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
      }
    }
    closeQuietly(c);
  }

  private static void closeQuietly(Connection c) {
    if (c == null) return;
    try {
      c.close();
    } catch (SQLException ignored) {
      // already broken
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    if (thread == null) return;
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
