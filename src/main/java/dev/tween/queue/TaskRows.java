package dev.tween.queue;

import dev.tween.task.Task;
import dev.tween.task.TaskSpecCodec;
import dev.tween.task.TaskStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Maps a {@code tasks} row ({@code SELECT *} or {@code RETURNING *}) to a {@link Task}, by column
 * position: looking columns up by name cost the SQLite driver a native call per column per lookup,
 * a third of a task-result request. Positions are those of V1__tasks.sql; migrations only ever
 * append columns ({@code ALTER TABLE … ADD COLUMN}), so they stay valid.
 */
final class TaskRows {
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

  private TaskRows() {}

  static Task task(ResultSet rs) throws SQLException {
    return new Task(
        rs.getString(ID),
        rs.getString(TENANT),
        TaskStatus.valueOf(rs.getString(STATUS)),
        TaskSpecCodec.decode(rs.getString(SPEC)),
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
        rs.getInt(POSTER) != 0);
  }

  private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
  }
}
