package dev.tween.store;

import dev.tween.task.Task;
import dev.tween.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * All SQL of the task queue, shared by every dialect; the differences live in {@link SqlDialect}.
 */
final class JdbcTaskStore implements TaskStore {
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

  /** Every statement that ends a task schedules its webhook (bound to "now") in the same write. */
  private static final String WEBHOOK_DUE =
      ", webhook_due_at = CASE WHEN has_webhook = 1 THEN ? ELSE NULL END ";

  private final Database db;
  private final Clock clock;
  private final StatementCache hot = new StatementCache();
  private final TaskRows rows = new TaskRows();

  JdbcTaskStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  private long now() {
    return clock.millis();
  }

  @Override
  public void insert(NewTask t) {
    long now = now();
    Transactions.inTransaction(
        db,
        "insert task",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  """
          INSERT INTO tasks (id, tenant, status, spec, generator, has_webhook, run_after, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            bind(
                ps,
                new Object[] {
                  t.id(),
                  t.tenant(),
                  TaskStatus.QUEUED.name(),
                  TaskSpecCodec.encode(t.spec()),
                  t.spec().generator(),
                  t.spec().webhookUrl().isPresent() ? 1 : 0,
                  now,
                  now,
                  now
                });
            ps.executeUpdate();
          }
          if (t.idempotencyKey().isPresent())
            IdempotencyKeys.bind(c, t.tenant(), t.idempotencyKey().get(), t.id());
          return null;
        });
  }

  @Override
  public Optional<Task> find(String tenant, String id) {
    try (Connection c = db.connection()) {
      PreparedStatement ps = hot.prepare(c, "SELECT * FROM tasks WHERE id = ? AND tenant = ?");
      ps.setString(1, id);
      ps.setString(2, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rows.task(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw db.failure("query", e);
    }
  }

  @Override
  public Optional<Task> findById(String id) {
    return queryOne("SELECT * FROM tasks WHERE id = ?", id);
  }

  @Override
  public List<Task> list(
      String tenant, Optional<TaskStatus> status, int limit, Optional<Cursor> before) {
    var sql = new StringBuilder("SELECT * FROM tasks WHERE tenant = ?");
    var args = new ArrayList<Object>(List.of(tenant));
    status.ifPresent(
        s -> {
          sql.append(" AND status = ?");
          args.add(s.name());
        });
    before.ifPresent(
        c -> {
          sql.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
          args.addAll(List.of(c.createdAt(), c.createdAt(), c.id()));
        });
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
    args.add(limit);
    return query(sql.toString(), args.toArray());
  }

  @Override
  public Optional<Claim> claim(String owner, Duration lease, Collection<String> generators) {
    if (generators.isEmpty()) return Optional.empty();
    long now = now();
    try (Connection c = db.connection();
        PreparedStatement ps =
            db.dialect()
                .prepareClaim(c, owner, now + lease.toMillis(), now, List.copyOf(generators));
        ResultSet rs = ps.executeQuery()) {
      Optional<Claim> claim = rs.next() ? Optional.of(toClaim(rs, owner)) : Optional.empty();
      if (!c.getAutoCommit()) c.commit();
      return claim;
    } catch (SQLException e) {
      throw db.failure("claim", e);
    }
  }

  private Claim toClaim(ResultSet rs, String owner) throws SQLException {
    Task t = rows.task(rs);
    return new Claim(t, owner, t.attempt());
  }

  @Override
  public HeartbeatResult heartbeat(Claim claim, Duration lease, int progress, int eta) {
    long now = now();
    // One statement renews the lease and reads the cancel flag; no row means the lease was lost.
    String sql =
        """
        UPDATE tasks SET lease_expires_at = ?, progress = CASE WHEN progress > ? THEN progress ELSE ? END,
               eta_seconds = ?, updated_at = ?
         WHERE id = ? AND lease_owner = ? AND attempt = ? AND %s
        RETURNING cancel_requested"""
            .formatted(StatusSql.is(TaskStatus.PROCESSING));
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(
          ps,
          new Object[] {
            now + lease.toMillis(),
            progress,
            progress,
            eta,
            now,
            claim.taskId(),
            claim.owner(),
            claim.attempt()
          });
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return HeartbeatResult.LOST;
        return rs.getInt(1) != 0 ? HeartbeatResult.CANCEL_REQUESTED : HeartbeatResult.OK;
      }
    } catch (SQLException e) {
      throw db.failure("heartbeat", e);
    }
  }

  @Override
  public boolean succeed(Claim claim, int samples, String note, boolean poster) {
    long now = now();
    return endAttempt(
            claim,
            TaskStatus.SUCCEED,
            """
        , samples = ?, reason = ?, poster = ?, progress = 100, eta_seconds = 0,
               finished_at = ?, updated_at = ?"""
                + WEBHOOK_DUE,
            "",
            samples,
            note,
            poster ? 1 : 0,
            now,
            now,
            now)
        == 1;
  }

  @Override
  public FailOutcome fail(
      Claim claim, String reason, boolean retryable, int maxFailures, Duration retryBase) {
    long now = now();
    int failures = claim.task().failures() + 1;
    if (retryable && failures < maxFailures) {
      long delay = backoff(retryBase, failures).toMillis();
      int n =
          endAttempt(
              claim,
              TaskStatus.QUEUED,
              ", failures = ?, reason = ?, run_after = ?, updated_at = ?",
              " cancel_requested = 0 AND",
              failures,
              reason,
              now + delay,
              now);
      if (n == 1) return FailOutcome.REQUEUED;
    }
    String finalReason =
        retryable && failures >= maxFailures
            ? reason + " (gave up after " + failures + " attempts)"
            : reason;
    int n =
        endAttempt(
            claim,
            TaskStatus.FAILED,
            ", failures = ?, reason = ?, eta_seconds = 0, finished_at = ?, updated_at = ?"
                + WEBHOOK_DUE,
            "",
            failures,
            finalReason,
            now,
            now,
            now);
    return n == 1 ? FailOutcome.FAILED : FailOutcome.LOST;
  }

  /** base × 2^(n-1), capped at 10 minutes, with ±20 % jitter so retries of a burst spread out. */
  static Duration backoff(Duration base, int failures) {
    long ms = base.toMillis() << Math.min(failures - 1, 20);
    ms = Math.min(ms, MAX_BACKOFF.toMillis());
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis((long) (ms * jitter));
  }

  @Override
  public boolean release(Claim claim) {
    long now = now();
    return endAttempt(claim, TaskStatus.QUEUED, ", run_after = ?, updated_at = ?", "", now, now)
        == 1;
  }

  @Override
  public boolean markCanceled(Claim claim) {
    long now = now();
    return endAttempt(
            claim,
            TaskStatus.CANCELED,
            ", reason = 'canceled by the client', eta_seconds = 0, finished_at = ?, updated_at = ?"
                + WEBHOOK_DUE,
            "",
            now,
            now,
            now)
        == 1;
  }

  @Override
  public CancelOutcome requestCancel(String tenant, String id) {
    long now = now();
    int queued =
        update(
            "UPDATE tasks SET "
                + StatusSql.to(TaskStatus.CANCELED)
                + """
        , cancel_requested = 1, reason = 'canceled by the client',
               eta_seconds = 0, finished_at = ?, updated_at = ?"""
                + WEBHOOK_DUE
                + """
         WHERE id = ? AND tenant = ? AND """
                + StatusSql.from(TaskStatus.QUEUED, TaskStatus.CANCELED),
            now,
            now,
            now,
            id,
            tenant);
    if (queued == 1) return CancelOutcome.CANCELED;
    int running =
        update(
            """
        UPDATE tasks SET cancel_requested = 1, updated_at = ?
         WHERE id = ? AND tenant = ? AND """
                + StatusSql.is(TaskStatus.PROCESSING),
            now,
            id,
            tenant);
    if (running == 1) return CancelOutcome.CANCEL_REQUESTED;
    return find(tenant, id).map(t -> CancelOutcome.ALREADY_FINAL).orElse(CancelOutcome.NOT_FOUND);
  }

  @Override
  public int recoverExpiredLeases(int maxCrashes) {
    long now = now();
    int failed =
        update(
            "UPDATE tasks SET "
                + StatusSql.to(TaskStatus.FAILED)
                + """
        , crashes = crashes + 1, eta_seconds = 0, finished_at = ?, updated_at = ?,
               reason = 'the worker stopped while generating this task ' || (crashes + 1)
                        || ' times (crash or kill); giving up so it cannot loop forever',
               lease_owner = NULL, lease_expires_at = NULL"""
                + WEBHOOK_DUE
                + """
         WHERE lease_expires_at < ? AND crashes + 1 >= ? AND """
                + StatusSql.from(TaskStatus.PROCESSING, TaskStatus.FAILED),
            now,
            now,
            now,
            now,
            maxCrashes);
    int canceled =
        update(
            "UPDATE tasks SET "
                + StatusSql.to(TaskStatus.CANCELED)
                + """
        , reason = 'canceled by the client', eta_seconds = 0, finished_at = ?,
               updated_at = ?, lease_owner = NULL, lease_expires_at = NULL"""
                + WEBHOOK_DUE
                + """
         WHERE lease_expires_at < ? AND cancel_requested = 1 AND """
                + StatusSql.from(TaskStatus.PROCESSING, TaskStatus.CANCELED),
            now,
            now,
            now,
            now);
    int requeued =
        update(
            "UPDATE tasks SET "
                + StatusSql.to(TaskStatus.QUEUED)
                + """
        , crashes = crashes + 1, run_after = ?, updated_at = ?,
               lease_owner = NULL, lease_expires_at = NULL
         WHERE lease_expires_at < ? AND """
                + StatusSql.from(TaskStatus.PROCESSING, TaskStatus.QUEUED),
            now,
            now,
            now);
    return failed + canceled + requeued;
  }

  @Override
  public Map<TaskStatus, Long> countByStatus() {
    var counts = new EnumMap<TaskStatus, Long>(TaskStatus.class);
    for (TaskStatus s : TaskStatus.values()) counts.put(s, 0L);
    try (Connection c = db.connection();
        PreparedStatement ps =
            c.prepareStatement("SELECT status, COUNT(*) FROM tasks GROUP BY status");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) counts.put(TaskStatus.valueOf(rs.getString(1)), rs.getLong(2));
      return counts;
    } catch (SQLException e) {
      throw db.failure("count", e);
    }
  }

  private Optional<Task> queryOne(String sql, Object... args) {
    List<Task> rows = query(sql, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
  }

  private List<Task> query(String sql, Object... args) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        var out = new ArrayList<Task>();
        while (rs.next()) out.add(rows.task(rs));
        return out;
      }
    } catch (SQLException e) {
      throw db.failure("query", e);
    }
  }

  /**
   * Ends an attempt: moves the claimed task to {@code target} with the assignments {@code set}
   * (from a leading comma) and gives up the lease, only while {@code claim}'s owner still holds
   * this attempt and {@code condition} (empty, or ending in AND) holds; so a worker whose lease
   * expired can never overwrite a newer attempt. {@code args} bind {@code set}'s placeholders.
   * Returns the rows changed (0 or 1).
   */
  private int endAttempt(
      Claim claim, TaskStatus target, String set, String condition, Object... args) {
    Object[] all = Arrays.copyOf(args, args.length + 3);
    all[args.length] = claim.taskId();
    all[args.length + 1] = claim.owner();
    all[args.length + 2] = claim.attempt();
    return update(
        "UPDATE tasks SET "
            + StatusSql.to(target)
            + set
            + ", lease_owner = NULL, lease_expires_at = NULL"
            + " WHERE id = ? AND lease_owner = ? AND attempt = ? AND"
            + condition
            + StatusSql.from(target),
        all);
  }

  private int update(String sql, Object... args) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw db.failure("update", e);
    }
  }

  private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof Instant t) ps.setLong(i + 1, t.toEpochMilli());
      else ps.setObject(i + 1, a);
    }
  }
}
