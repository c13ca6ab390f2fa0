package dev.tween.store;

import dev.tween.task.Task;
import dev.tween.task.TaskSpec;
import dev.tween.task.TaskStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a {@code tasks} row ({@code SELECT *} or {@code RETURNING *}) to a {@link Task}, by column
 * position: looking columns up by name cost the SQLite driver a native call per column per lookup,
 * a third of a task-result request. Positions are those of V1__tasks.sql; migrations only ever
 * append columns ({@code ALTER TABLE … ADD COLUMN}), so they stay valid.
 *
 * <p>A task's spec never changes after insert, and clients poll the same tasks every second or two,
 * so each reader remembers the specs it decoded recently (by task id): a hit saves a JSON parse.
 */
final class TaskRows {
  private static final int CACHE_SIZE = 4096;
  private static final int ID = 1;
  private static final int TENANT = 2;
  private static final int STATUS = 3;
  private static final int SPEC = 4;
  private static final int PROGRESS = 5;
  private static final int ETA = 6;
  private static final int SAMPLES = 7;
  private static final int REASON = 8;
  private static final int ATTEMPT = 9;
  private static final int FAILURES = 10;
  private static final int CRASHES = 11;
  private static final int CANCEL_REQUESTED = 12;
  private static final int RESUME_STATE = 13;
  private static final int CREATED_AT = 17;
  private static final int STARTED_AT = 18;
  private static final int FINISHED_AT = 19;

  /** Added by V4__poster.sql, after V3's five webhook columns. */
  private static final int POSTER = 26;

  /**
   * Added by V7__retention.sql; looked up by name once, since its position depends on the columns
   * other features' migrations added before it.
   */
  private volatile int expiredAt;

  private final Map<String, TaskSpec> recentSpecs =
      Collections.synchronizedMap(
          new LinkedHashMap<>(CACHE_SIZE * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TaskSpec> eldest) {
              return size() > CACHE_SIZE;
            }
          });

  Task task(ResultSet rs) throws SQLException {
    String id = rs.getString(ID);
    TaskSpec spec = recentSpecs.get(id);
    if (spec == null) {
      spec = TaskSpecCodec.decode(rs.getString(SPEC));
      recentSpecs.put(id, spec);
    }
    return new Task(
        id,
        rs.getString(TENANT),
        TaskStatus.valueOf(rs.getString(STATUS)),
        spec,
        rs.getInt(PROGRESS),
        rs.getInt(ETA),
        rs.getInt(SAMPLES),
        rs.getString(REASON),
        rs.getInt(ATTEMPT),
        rs.getInt(FAILURES),
        rs.getInt(CRASHES),
        rs.getInt(CANCEL_REQUESTED) != 0,
        Optional.ofNullable(rs.getString(RESUME_STATE)),
        Instant.ofEpochMilli(rs.getLong(CREATED_AT)),
        instant(rs, STARTED_AT),
        instant(rs, FINISHED_AT),
        rs.getInt(POSTER) != 0,
        instant(rs, expiredAtColumn(rs)));
  }

  private int expiredAtColumn(ResultSet rs) throws SQLException {
    int column = expiredAt;
    if (column == 0) expiredAt = column = rs.findColumn("expired_at");
    return column;
  }

  private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
  }
}
