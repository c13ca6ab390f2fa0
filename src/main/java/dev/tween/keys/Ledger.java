package dev.tween.keys;

import static dev.tween.keys.ChargeState.CHARGED;
import static dev.tween.keys.ChargeState.RELEASED;
import static dev.tween.keys.ChargeState.RESERVED;

import dev.tween.generate.VideoOptions;
import dev.tween.store.Database;
import dev.tween.store.StatusSql;
import dev.tween.store.Transactions;
import dev.tween.task.TaskStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every task costs. At submit a task's full price (duration × samples × price) is reserved
 * against its key's budget in one conditional UPDATE; once the task ends, only the delivered
 * samples are charged (SUCCEED) or everything is released (FAILED, CANCELED). Settling is
 * idempotent, so any node may settle any task: the worker that finished it, the node that canceled
 * it, or a later read. {@link Usage} reads back what was charged.
 */
public final class Ledger {
  private static final Logger log = LoggerFactory.getLogger(Ledger.class);

  /**
   * A reservation whose task never appeared (the node died between the two) is released after this.
   */
  static final Duration ORPHAN_AFTER = Duration.ofMinutes(2);

  private final Database db;
  private final Clock clock;
  private final Prices prices;
  private final Charged charged;

  /** Told once per charged task, cluster-wide (for metrics). */
  public interface Charged {
    void charged(String keyName, String model, String currency, long videoSeconds, long costMicros);
  }

  public sealed interface Reservation {
    record Reserved(long micros) implements Reservation {}

    record Exceeded(long remainingMicros, long neededMicros, String currency)
        implements Reservation {}
  }

  /**
   * @param pricesFile the operator's prices ({@code --prices}); empty: the built-in ones
   */
  public Ledger(Database db, Clock clock, Optional<Path> pricesFile, Charged charged) {
    this(db, clock, pricesFile.map(Prices::load).orElseGet(Prices::builtIn), charged);
  }

  Ledger(Database db, Clock clock, Prices prices, Charged charged) {
    this.db = db;
    this.clock = clock;
    this.prices = prices;
    this.charged = charged;
  }

  public String currency() {
    return prices.currency();
  }

  Database db() {
    return db;
  }

  Clock clock() {
    return clock;
  }

  /**
   * Reserves the task's full price for {@code principal}; nothing is written when it does not fit.
   */
  public Reservation reserve(Principal p, String taskId, String model, VideoOptions o) {
    long price = prices.perSecond(model, o.resolution(), o.generateAudio());
    long needed = Math.multiplyExact(price, (long) o.durationSeconds() * o.sampleCount());
    long now = clock.millis();
    if (p.budget().isPresent())
      settlePending(Optional.of(p.tenant())); // ended tasks give their room back first
    long periodStart =
        p.budget().map(b -> b.period().startOf(Instant.ofEpochMilli(now))).orElse(0L);
    return Transactions.inTransaction(
        db,
        "budget reservation",
        c -> {
          if (p.budget().isPresent()) {
            String keyId = p.keyId().orElseThrow();
            try (PreparedStatement ps =
                c.prepareStatement(
                    """
            INSERT INTO key_spend (key_id, period_start, committed_micros) VALUES (?, ?, 0)
            ON CONFLICT (key_id, period_start) DO NOTHING""")) {
              ps.setString(1, keyId);
              ps.setLong(2, periodStart);
              ps.executeUpdate();
            }
            long budget = p.budget().get().amountMicros();
            // The reservation itself: one statement that only succeeds while the budget has room.
            try (PreparedStatement ps =
                c.prepareStatement(
                    """
            UPDATE key_spend SET committed_micros = committed_micros + ?
             WHERE key_id = ? AND period_start = ? AND committed_micros + ? <= ?""")) {
              ps.setLong(1, needed);
              ps.setString(2, keyId);
              ps.setLong(3, periodStart);
              ps.setLong(4, needed);
              ps.setLong(5, budget);
              if (ps.executeUpdate() == 0) {
                return new Reservation.Exceeded(
                    Math.max(0, budget - committed(c, keyId, periodStart)),
                    needed,
                    prices.currency());
              }
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
          INSERT INTO charges (task_id, tenant, key_id, key_name, model, currency, price_micros, duration,
                               reserved_micros, budgeted, period_start, state, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, taskId);
            ps.setString(2, p.tenant());
            ps.setString(3, p.keyId().orElse(null));
            ps.setString(4, p.keyName());
            ps.setString(5, model);
            ps.setString(6, prices.currency());
            ps.setLong(7, price);
            ps.setInt(8, o.durationSeconds());
            ps.setLong(9, needed);
            ps.setInt(10, p.budget().isPresent() ? 1 : 0);
            ps.setLong(11, periodStart);
            ps.setString(12, RESERVED.name());
            ps.setLong(13, now);
            ps.executeUpdate();
          }
          return new Reservation.Reserved(needed);
        });
  }

  private static long committed(Connection c, String keyId, long periodStart) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT committed_micros FROM key_spend WHERE key_id = ? AND period_start = ?")) {
      ps.setString(1, keyId);
      ps.setLong(2, periodStart);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /**
   * Gives back the reservation of a task that was never created (its submit failed after
   * reserving).
   */
  public void release(String taskId) {
    Transactions.inTransaction(
        db,
        "release reservation",
        c -> {
          end(c, taskId, RELEASED, 0, 0);
          return null;
        });
  }

  /**
   * Charges or releases the task's reservation if the task has ended; a no-op otherwise or when
   * done before.
   */
  public void settle(String taskId) {
    var done = Transactions.inTransaction(db, "settle charge", c -> settle(c, taskId));
    done.ifPresent(this::report);
  }

  /**
   * {@link #settle} for a task that just ended, on the thread that ended it: a failure (the
   * database is down) is logged and left for later, since the next submit, usage report or key
   * listing of its tenant settles what is still open ({@link #settlePending}).
   */
  public void settleEnded(String taskId) {
    try {
      settle(taskId);
    } catch (RuntimeException e) {
      log.warn(
          "event=settle_deferred task={} error=\"{}\" hint=\"settled on the next submit, usage or key listing\"",
          taskId,
          e.toString());
    }
  }

  /**
   * Settles every ended task of {@code tenant} (or of everyone) whose reservation is still open.
   */
  public void settlePending(Optional<String> tenant) {
    List<String> ids =
        Transactions.read(
            db,
            "reading open reservations",
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT c.task_id FROM charges c LEFT JOIN tasks t ON t.id = c.task_id WHERE"
                          + ChargeState.SQL.of("c").is(RESERVED)
                          + " AND ("
                          + StatusSql.ended("t")
                          + " OR (t.id IS NULL AND c.created_at < ?))"
                          + (tenant.isPresent() ? " AND c.tenant = ?" : ""))) {
                ps.setLong(1, clock.millis() - ORPHAN_AFTER.toMillis());
                if (tenant.isPresent()) ps.setString(2, tenant.get());
                var open = new ArrayList<String>();
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) open.add(rs.getString(1));
                }
                return open;
              }
            });
    ids.forEach(this::settle);
  }

  private record Settled(
      String taskId, String keyName, String model, String currency, long videoSeconds, long cost) {}

  private Optional<Settled> settle(Connection c, String taskId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        SELECT c.state, c.created_at, c.price_micros, c.duration, c.reserved_micros, c.key_name, c.model, c.currency,
               t.id AS tid, t.status, t.samples
          FROM charges c LEFT JOIN tasks t ON t.id = c.task_id WHERE c.task_id = ?""")) {
      ps.setString(1, taskId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || ChargeState.valueOf(rs.getString("state")) != RESERVED)
          return Optional.empty();
        if (rs.getString("tid") == null) {
          if (rs.getLong("created_at") < clock.millis() - ORPHAN_AFTER.toMillis())
            end(c, taskId, RELEASED, 0, 0);
          return Optional.empty();
        }
        TaskStatus status = TaskStatus.valueOf(rs.getString("status"));
        if (!status.isFinal()) return Optional.empty();
        if (status != TaskStatus.SUCCEED) {
          end(c, taskId, RELEASED, 0, 0);
          return Optional.empty();
        }
        long seconds = (long) rs.getInt("duration") * rs.getInt("samples");
        long cost = Math.min(rs.getLong("reserved_micros"), seconds * rs.getLong("price_micros"));
        if (!end(c, taskId, CHARGED, seconds, cost)) return Optional.empty();
        return Optional.of(
            new Settled(
                taskId,
                rs.getString("key_name"),
                rs.getString("model"),
                rs.getString("currency"),
                seconds,
                cost));
      }
    }
  }

  /**
   * Closes the reservation and gives back what was not charged; false when another node closed it
   * first.
   */
  private boolean end(Connection c, String taskId, ChargeState to, long videoSeconds, long cost)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE charges SET "
                + ChargeState.SQL.to(to)
                + ", video_seconds = ?, cost_micros = ?, settled_at = ? WHERE task_id = ? AND"
                + ChargeState.SQL.from(to))) {
      ps.setLong(1, videoSeconds);
      ps.setLong(2, cost);
      ps.setLong(3, clock.millis());
      ps.setString(4, taskId);
      if (ps.executeUpdate() != 1) return false;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            """
        UPDATE key_spend SET committed_micros = committed_micros - (
                 SELECT reserved_micros - cost_micros FROM charges WHERE task_id = ?)
         WHERE (key_id, period_start) = (SELECT key_id, period_start FROM charges WHERE task_id = ? AND budgeted = 1)""")) {
      ps.setString(1, taskId);
      ps.setString(2, taskId);
      ps.executeUpdate();
    }
    return true;
  }

  private void report(Settled s) {
    log.info(
        "event=task_charged task={} key_name={} model={} video_seconds={} cost={} currency={}",
        s.taskId(),
        s.keyName(),
        s.model(),
        s.videoSeconds(),
        Money.of(s.cost()),
        s.currency());
    charged.charged(s.keyName(), s.model(), s.currency(), s.videoSeconds(), s.cost());
  }
}
