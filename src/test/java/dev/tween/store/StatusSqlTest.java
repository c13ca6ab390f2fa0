package dev.tween.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tween.task.TaskStatus;
import org.junit.jupiter.api.Test;

class StatusSqlTest {
  @Test
  void movesComeFromTheTransitionTable() {
    assertThat(StatusSql.to(TaskStatus.CANCELED)).isEqualTo("status = 'CANCELED'");
    assertThat(StatusSql.from(TaskStatus.CANCELED)).isEqualTo(" status IN ('PROCESSING','QUEUED')");
    assertThat(StatusSql.from(TaskStatus.QUEUED, TaskStatus.PROCESSING))
        .isEqualTo(" status = 'QUEUED'");
  }

  @Test
  void aJoinNamesTheTasksThatEnded() {
    assertThat(StatusSql.ended("t")).isEqualTo(" t.status IN ('CANCELED','FAILED','SUCCEED')");
    assertThat(StatusSql.open("t")).isEqualTo(" t.status IN ('PROCESSING','QUEUED')");
  }

  @Test
  void anOperationHoldsASlotUntilDone() {
    var ops =
        new StateSql<>("state", UpstreamQueue.OpState.class, UpstreamQueue.OpState::canBecome);
    assertThat(ops.isOpen()).isEqualTo(" state IN ('CREATING','RESERVED','RUNNING')");
    assertThat(ops.from(UpstreamQueue.OpState.DONE)).isEqualTo(ops.isOpen());
    assertThatThrownBy(() -> ops.from(UpstreamQueue.OpState.DONE, UpstreamQueue.OpState.RUNNING))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMoveTheTableForbidsIsRefused() {
    assertThatThrownBy(() -> StatusSql.from(TaskStatus.SUCCEED, TaskStatus.QUEUED))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
