package dev.tween.queue;

import dev.tween.task.Task;
import dev.tween.task.TaskSpecCodec;
import dev.tween.task.TaskStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Maps a {@code tasks} row to a {@link Task}. */
final class TaskRows {
  private TaskRows() {}

  static Task task(ResultSet rs) throws SQLException {
    return new Task(
        rs.getString("id"),
        rs.getString("tenant"),
        TaskStatus.valueOf(rs.getString("status")),
        TaskSpecCodec.decode(rs.getString("spec")),
        rs.getInt("progress"),
        rs.getInt("eta_seconds"),
        rs.getInt("samples"),
        rs.getString("reason"),
        rs.getInt("attempt"),
        rs.getInt("failures"),
        rs.getInt("crashes"),
        rs.getInt("cancel_requested") != 0,
        Optional.ofNullable(rs.getString("resume_state")),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        instant(rs, "started_at"),
        instant(rs, "finished_at"));
  }

  private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
  }
}
