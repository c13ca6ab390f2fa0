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
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SQL of upstream tasks: admitting a task to a deployment that has room, the operations it runs
 * there, and the deployments' shared state. A deployment's limits hold across every node that
 * shares the database because each admission counts and claims in one transaction that first locks
 * the rows of the deployments it may use (PostgreSQL) or the whole database (SQLite, BEGIN
 * IMMEDIATE); the counts come from the {@code operations} rows themselves, so nothing can drift.
 */
public final class UpstreamQueue {

  /**
   * How far back {@code requests_per_minute} counts creates: a minute, plus a second for clocks
   * that differ between nodes. A create counts from when upstream accepted it (the end of the call,
   * never before upstream saw it), so a quota that upstream counts over a rolling minute is never
   * passed.
   */
  static final Duration RATE_WINDOW = Duration.ofSeconds(61);

  /**
   * Where an operation is, with its allowed moves ({@link #OPS} builds every write of the column
   * from them; a refused create is deleted instead).
   */
  public enum OpState {
    /** A slot is taken; nothing was sent yet, so after a crash it is created as if new. */
    RESERVED,
    /** The create is being sent (or was cut short by a crash: upstream may or may not have it). */
    CREATING,
    /** Created upstream: {@code upstreamId} names it. */
    RUNNING,
    /** Finished upstream, or given up with its task: holds no slot. */
    DONE;

    boolean canBecome(OpState next) {
      return switch (this) {
        case RESERVED -> next == CREATING || next == DONE;
        case CREATING -> next == RUNNING || next == DONE;
        case RUNNING -> next == DONE;
        case DONE -> false;
      };
    }
  }

  private static final StateSql<OpState> OPS =
      new StateSql<>("state", OpState.class, OpState::canBecome);

  /**
   * One operation of a task.
   *
   * @param upstreamId upstream's name for it; while CREATING, the id tween chose, if it chooses
   * @param createdAt when upstream accepted the create (before: when the slot was taken)
   */
  public record Operation(
      String taskId,
      int index,
      String deployment,
      OpState state,
      Optional<String> upstreamId,
      Instant createdAt) {}

  /**
   * A deployment this node may send a create to now, with its limits.
   *
   * @param requestsPerMinute 0: no limit
   */
  public record Opening(String deployment, int maxConcurrent, int requestsPerMinute) {}

  /**
   * A deployment's use, cluster-wide.
   *
   * @param inFlight operations holding a slot
   * @param lastMinute creates within {@link #RATE_WINDOW}
   */
  public record Load(int inFlight, int lastMinute, Instant cooldownUntil) {}

  /** What an admission found. */
  public sealed interface Admission {
    /** A task that had none: its first operation holds a slot on {@code first.deployment()}. */
    record Admitted(Claim claim, Operation first) implements Admission {}

    /** A task whose operations were created before (by a node that stopped): poll them. */
    record Resumed(Claim claim, List<Operation> operations) implements Admission {}

    /** Tasks are waiting, but no deployment this node may use has room. */
    record NoRoom() implements Admission {}

    /** No task is ready. */
    record Idle() implements Admission {}
  }

  /** What renewing this node's leases found. */
  public record Renewal(Set<String> held, Set<String> cancelRequested) {}

  /** A running task's progress, written in one batch with the others. */
  public record Progress(Claim claim, int percent, int etaSeconds) {}

  private final Database db;
  private final Clock clock;
  private final TaskRows rows = new TaskRows();

  UpstreamQueue(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public static UpstreamQueue of(Database db, Clock clock) {
    return new UpstreamQueue(db, clock);
  }

  /** Makes sure every configured deployment has its shared row (deployment name → generator). */
  public void register(Map<String, String> generatorByDeployment) {
    long now = clock.millis();
    Transactions.inTransaction(
        db,
        "register deployments",
        c -> {
          for (var e : generatorByDeployment.entrySet()) {
            if (exists(c, e.getKey())) continue;
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO deployments (name, generator, cooldown_until, updated_at)"
                        + " VALUES (?, ?, 0, ?)")) {
              ps.setString(1, e.getKey());
              ps.setString(2, e.getValue());
              ps.setLong(3, now);
              ps.executeUpdate();
            } catch (SQLException ex) {
              if (!db.dialect().isUniqueViolation(ex)) throw ex; // another node registered it
            }
          }
          return null;
        });
  }

  private static boolean exists(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM deployments WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Takes the next task of {@code generators} for {@code owner}: first one whose operations hold
   * slots on {@code deployments} (resumed without a new slot, so that they can give them back),
   * else the oldest ready task, given a slot on the least-loaded of {@code open} that has room.
   *
   * @param deployments every deployment of these generators (a resumed task's may be closed now)
   */
  public Admission admit(
      String owner,
      Duration lease,
      Collection<String> generators,
      Collection<String> deployments,
      List<Opening> open) {
    if (generators.isEmpty()) return new Admission.Idle();
    long now = clock.millis();
    return Transactions.inTransaction(
        db,
        "admit",
        c -> {
          lock(c, open);
          Optional<Task> resume = holdingSlots(c, generators, deployments, now);
          Optional<Task> next = resume.isPresent() ? resume : oldestReady(c, generators, now);
          if (next.isEmpty()) return new Admission.Idle();
          List<Operation> ops = operations(c, next.get().id());
          if (!ops.isEmpty()) {
            return claim(c, next.get(), owner, lease, now)
                .<Admission>map(claim -> new Admission.Resumed(claim, ops))
                .orElseGet(Admission.Idle::new);
          }
          Optional<String> room = roomiest(c, open, now);
          if (room.isEmpty()) return new Admission.NoRoom();
          Optional<Claim> claim = claim(c, next.get(), owner, lease, now);
          if (claim.isEmpty()) return new Admission.Idle();
          Operation first = insert(c, next.get().id(), 0, room.get(), now);
          return new Admission.Admitted(claim.get(), first);
        });
  }

  /**
   * A slot for a further operation of a task this node runs (Omni and ComfyUI make one per sample):
   * the least-loaded of {@code open} with room, or empty.
   */
  public Optional<Operation> admitOperation(Claim claim, int index, List<Opening> open) {
    long now = clock.millis();
    return Transactions.inTransaction(
        db,
        "admit operation",
        c -> {
          lock(c, open);
          if (!held(c, claim)) return Optional.empty();
          Optional<String> room = roomiest(c, open, now);
          if (room.isEmpty()) return Optional.empty();
          return Optional.of(insert(c, claim.taskId(), index, room.get(), now));
        });
  }

  /** Serializes admissions to these deployments across nodes (SQLite: the transaction does). */
  private void lock(Connection c, List<Opening> open) throws SQLException {
    if (open.isEmpty() || db.dialect().forUpdate().isEmpty()) return;
    List<String> names = open.stream().map(Opening::deployment).sorted().toList();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT name FROM deployments WHERE name IN ("
                + SqlDialect.placeholders(names.size())
                + ") ORDER BY name"
                + db.dialect().forUpdate())) {
      bind(ps, names.toArray());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          // locked
        }
      }
    }
  }

  private Optional<Task> holdingSlots(
      Connection c, Collection<String> generators, Collection<String> deployments, long now)
      throws SQLException {
    if (deployments.isEmpty()) return Optional.empty();
    String sql =
        "SELECT * FROM tasks WHERE id IN (SELECT task_id FROM operations WHERE"
            + OPS.isOpen()
            + " AND deployment IN ("
            + SqlDialect.placeholders(deployments.size())
            + ")) AND"
            + StatusSql.is(TaskStatus.QUEUED)
            + " AND generator IN ("
            + SqlDialect.placeholders(generators.size())
            + ") AND run_after <= ? ORDER BY run_after, created_at, id LIMIT 1"
            + db.dialect().forUpdateSkipLocked();
    List<Object> args = new ArrayList<>(deployments);
    args.addAll(generators);
    args.add(now);
    return one(c, sql, args.toArray());
  }

  private Optional<Task> oldestReady(Connection c, Collection<String> generators, long now)
      throws SQLException {
    String sql =
        "SELECT * FROM tasks WHERE"
            + StatusSql.is(TaskStatus.QUEUED)
            + " AND generator IN ("
            + SqlDialect.placeholders(generators.size())
            + ") AND run_after <= ? ORDER BY run_after, created_at, id LIMIT 1"
            + db.dialect().forUpdateSkipLocked();
    List<Object> args = new ArrayList<>(generators);
    args.add(now);
    return one(c, sql, args.toArray());
  }

  private Optional<Task> one(Connection c, String sql, Object[] args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rows.task(rs)) : Optional.empty();
      }
    }
  }

  private Optional<Claim> claim(Connection c, Task t, String owner, Duration lease, long now)
      throws SQLException {
    String sql =
        "UPDATE tasks SET "
            + StatusSql.to(TaskStatus.PROCESSING)
            + ", attempt = attempt + 1, lease_owner = ?, lease_expires_at = ?,"
            + " started_at = COALESCE(started_at, ?), updated_at = ? WHERE id = ? AND"
            + StatusSql.from(TaskStatus.QUEUED, TaskStatus.PROCESSING)
            + " RETURNING *";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, new Object[] {owner, now + lease.toMillis(), now, now, t.id()});
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return Optional.empty();
        Task claimed = rows.task(rs);
        return Optional.of(new Claim(claimed, owner, claimed.attempt()));
      }
    }
  }

  /** The least-loaded deployment (in-flight share of its limit) with room, or empty. */
  private Optional<String> roomiest(Connection c, List<Opening> open, long now)
      throws SQLException {
    if (open.isEmpty()) return Optional.empty();
    List<String> names = open.stream().map(Opening::deployment).toList();
    Map<String, Load> loads = loads(c, names, now);
    return open.stream()
        .filter(
            o -> {
              Load l = loads.get(o.deployment());
              return l.cooldownUntil().toEpochMilli() <= now
                  && l.inFlight() < o.maxConcurrent()
                  && (o.requestsPerMinute() == 0 || l.lastMinute() < o.requestsPerMinute());
            })
        .min(
            Comparator.comparingDouble(
                    (Opening o) ->
                        (double) loads.get(o.deployment()).inFlight() / o.maxConcurrent())
                .thenComparingInt(o -> loads.get(o.deployment()).lastMinute())
                .thenComparing(Opening::deployment))
        .map(Opening::deployment);
  }

  private Operation insert(Connection c, String taskId, int index, String deployment, long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO operations (task_id, idx, deployment, state, created_at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      bind(ps, new Object[] {taskId, index, deployment, OpState.RESERVED.name(), now});
      ps.executeUpdate();
    }
    return new Operation(
        taskId, index, deployment, OpState.RESERVED, Optional.empty(), Instant.ofEpochMilli(now));
  }

  /** The use of each named deployment, cluster-wide. */
  public Map<String, Load> loads(Collection<String> deployments) {
    if (deployments.isEmpty()) return Map.of();
    try (Connection c = db.connection()) {
      return loads(c, deployments, clock.millis());
    } catch (SQLException e) {
      throw db.failure("deployment loads", e);
    }
  }

  private Map<String, Load> loads(Connection c, Collection<String> deployments, long now)
      throws SQLException {
    String in = "(" + SqlDialect.placeholders(deployments.size()) + ")";
    Object[] names = deployments.toArray();
    Map<String, Integer> inFlight =
        counts(
            c,
            "SELECT o.deployment, COUNT(*) FROM operations o JOIN tasks t ON t.id = o.task_id"
                + " WHERE"
                + OPS.of("o").isOpen()
                + " AND o.deployment IN "
                + in
                + " AND"
                + StatusSql.open("t")
                + " GROUP BY o.deployment",
            names);
    Object[] withSince = java.util.Arrays.copyOf(names, names.length + 1);
    withSince[names.length] = now - RATE_WINDOW.toMillis();
    Map<String, Integer> recent =
        counts(
            c,
            "SELECT deployment, COUNT(*) FROM operations WHERE deployment IN "
                + in
                + " AND created_at > ? GROUP BY deployment",
            withSince);
    Map<String, Long> cooldown = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT name, cooldown_until FROM deployments WHERE name IN " + in)) {
      bind(ps, names);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) cooldown.put(rs.getString(1), rs.getLong(2));
      }
    }
    Map<String, Load> out = new HashMap<>();
    for (String d : deployments)
      out.put(
          d,
          new Load(
              inFlight.getOrDefault(d, 0),
              recent.getOrDefault(d, 0),
              Instant.ofEpochMilli(cooldown.getOrDefault(d, 0L))));
    return out;
  }

  private static Map<String, Integer> counts(Connection c, String sql, Object[] args)
      throws SQLException {
    Map<String, Integer> out = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.put(rs.getString(1), rs.getInt(2));
      }
    }
    return out;
  }

  /** The task's operations, in index order. */
  public List<Operation> operations(String taskId) {
    try (Connection c = db.connection()) {
      return operations(c, taskId);
    } catch (SQLException e) {
      throw db.failure("operations", e);
    }
  }

  private static List<Operation> operations(Connection c, String taskId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT idx, deployment, state, upstream_id, created_at FROM operations"
                + " WHERE task_id = ? ORDER BY idx")) {
      ps.setString(1, taskId);
      try (ResultSet rs = ps.executeQuery()) {
        List<Operation> out = new ArrayList<>();
        while (rs.next())
          out.add(
              new Operation(
                  taskId,
                  rs.getInt(1),
                  rs.getString(2),
                  OpState.valueOf(rs.getString(3)),
                  Optional.ofNullable(rs.getString(4)),
                  Instant.ofEpochMilli(rs.getLong(5))));
        return out;
      }
    }
  }

  /**
   * The create is about to be sent (with the id tween chose, where upstream takes one): from here
   * on a crash leaves an operation upstream may have, which a resumed task settles instead of
   * creating blindly. Written after the request is ready, so that the window is the call itself.
   */
  public boolean sending(Claim claim, int index, Optional<String> chosenId) {
    return updateOp(
        claim,
        index,
        OPS.to(OpState.CREATING) + ", upstream_id = ?",
        OPS.from(OpState.RESERVED, OpState.CREATING),
        new Object[] {chosenId.orElse(null)});
  }

  /**
   * Upstream accepted the create: the operation is RUNNING as {@code upstreamId}, counted for the
   * rate limit from now. Written before the first poll, so a crash resumes it.
   */
  public boolean created(Claim claim, int index, String upstreamId) {
    return updateOp(
        claim,
        index,
        OPS.to(OpState.RUNNING) + ", upstream_id = ?, created_at = ?",
        OPS.from(OpState.CREATING, OpState.RUNNING),
        new Object[] {upstreamId, clock.millis()});
  }

  /** The operation finished upstream (or is given up): its slot is free. */
  public boolean finished(Claim claim, int index) {
    return updateOp(
        claim,
        index,
        OPS.to(OpState.DONE) + ", finished_at = ?",
        OPS.from(OpState.DONE),
        new Object[] {clock.millis()});
  }

  /** Upstream refused the create (429, 5xx, unreachable): nothing runs, so no slot is held. */
  public boolean refused(Claim claim, int index) {
    String sql =
        "DELETE FROM operations WHERE task_id = ? AND idx = ? AND"
            + OPS.in(OpState.RESERVED, OpState.CREATING)
            + " AND "
            + heldBy();
    return update(sql, claim.taskId(), index, claim.taskId(), claim.owner(), claim.attempt()) == 1;
  }

  /**
   * Upstream no longer knows the operation (a ComfyUI server restarted): its slot is free and it is
   * admitted and created again like a new one.
   */
  public boolean lost(Claim claim, int index) {
    String sql = "DELETE FROM operations WHERE task_id = ? AND idx = ? AND " + heldBy();
    return update(sql, claim.taskId(), index, claim.taskId(), claim.owner(), claim.attempt()) == 1;
  }

  /** {@code condition} comes from {@link #OPS}, with its leading space. */
  private boolean updateOp(Claim claim, int index, String set, String condition, Object[] setArgs) {
    String sql =
        "UPDATE operations SET "
            + set
            + " WHERE task_id = ? AND idx = ? AND"
            + condition
            + " AND "
            + heldBy();
    List<Object> args = new ArrayList<>(java.util.Arrays.asList(setArgs));
    args.addAll(List.of(claim.taskId(), index, claim.taskId(), claim.owner(), claim.attempt()));
    return update(sql, args.toArray()) == 1;
  }

  /** The claim still holds its task: binds (task id, owner, attempt). */
  private static String heldBy() {
    return "EXISTS (SELECT 1 FROM tasks WHERE id = ? AND lease_owner = ? AND attempt = ? AND"
        + StatusSql.is(TaskStatus.PROCESSING)
        + ")";
  }

  private boolean held(Connection c, Claim claim) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 WHERE " + heldBy())) {
      bind(ps, new Object[] {claim.taskId(), claim.owner(), claim.attempt()});
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** A 429: no creates to {@code deployment} from any node before {@code until}. */
  public void coolDown(String deployment, Instant until) {
    update(
        "UPDATE deployments SET cooldown_until = ?, updated_at = ? WHERE name = ? AND cooldown_until < ?",
        until.toEpochMilli(),
        clock.millis(),
        deployment,
        until.toEpochMilli());
  }

  /**
   * Renews every lease {@code owner} holds and says which tasks it still holds and which of them a
   * client asked to cancel. A task missing from {@code held} was taken from this node (its lease
   * expired, e.g. through a long database outage): stop working on it without writing.
   */
  public Renewal renew(String owner, Duration lease) {
    long now = clock.millis();
    String sql =
        "UPDATE tasks SET lease_expires_at = ? WHERE lease_owner = ? AND"
            + StatusSql.is(TaskStatus.PROCESSING)
            + " RETURNING id, cancel_requested";
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, new Object[] {now + lease.toMillis(), owner});
      Set<String> held = new HashSet<>();
      Set<String> cancel = new HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          held.add(rs.getString(1));
          if (rs.getInt(2) != 0) cancel.add(rs.getString(1));
        }
      }
      return new Renewal(held, cancel);
    } catch (SQLException e) {
      throw db.failure("renew leases", e);
    }
  }

  /**
   * Which of {@code owner}'s running tasks a client asked to cancel (a cheap read, every second).
   */
  public Set<String> cancelRequested(String owner) {
    String sql =
        "SELECT id FROM tasks WHERE"
            + StatusSql.is(TaskStatus.PROCESSING)
            + " AND lease_owner = ? AND cancel_requested = 1";
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, owner);
      Set<String> out = new HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw db.failure("cancel flags", e);
    }
  }

  /** Writes the progress of many running tasks in one transaction; never lowers a stored value. */
  public void progress(List<Progress> updates) {
    if (updates.isEmpty()) return;
    long now = clock.millis();
    Transactions.inTransaction(
        db,
        "progress",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE tasks SET progress = CASE WHEN progress > ? THEN progress ELSE ? END,"
                      + " eta_seconds = ?, updated_at = ?"
                      + " WHERE id = ? AND lease_owner = ? AND attempt = ? AND"
                      + StatusSql.is(TaskStatus.PROCESSING))) {
            for (Progress p : updates) {
              bind(
                  ps,
                  new Object[] {
                    p.percent(),
                    p.percent(),
                    p.etaSeconds(),
                    now,
                    p.claim().taskId(),
                    p.claim().owner(),
                    p.claim().attempt()
                  });
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  /**
   * Frees the slots of operations whose task ended without them (canceled while queued, failed by
   * the reaper): they hold none already, since only live tasks' operations are counted, but this
   * keeps the set that admissions scan small. Returns how many it touched.
   */
  public int sweep() {
    return update(
        "UPDATE operations SET "
            + OPS.to(OpState.DONE)
            + ", finished_at = ? WHERE"
            + OPS.from(OpState.DONE)
            + " AND EXISTS (SELECT 1 FROM tasks t WHERE t.id = operations.task_id AND"
            + StatusSql.ended("t")
            + ")",
        clock.millis());
  }

  /** Queued tasks of the same generator submitted before {@code t}, for its eta. */
  public int queuedAhead(Task t) {
    String sql =
        "SELECT COUNT(*) FROM tasks WHERE"
            + StatusSql.is(TaskStatus.QUEUED)
            + " AND generator = ? AND created_at < ?";
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, new Object[] {t.spec().generator(), t.createdAt().toEpochMilli()});
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    } catch (SQLException e) {
      throw db.failure("queue position", e);
    }
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
    for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
  }
}
