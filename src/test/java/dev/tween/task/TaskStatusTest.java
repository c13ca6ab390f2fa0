package dev.tween.task;

import static dev.tween.task.TaskStatus.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskStatusTest {

  @Test
  void finalStatesHaveNoWayOut() {
    for (TaskStatus s : new TaskStatus[] {SUCCEED, FAILED, CANCELED}) {
      assertThat(s.isFinal()).isTrue();
      for (TaskStatus t : values()) assertThat(s.canBecome(t)).as(s + "->" + t).isFalse();
    }
  }

  private static List<TaskStatus> predecessorsOf(TaskStatus target) {
    return Arrays.stream(values()).filter(s -> s.canBecome(target)).toList();
  }

  @Test
  void successOnlyFromProcessing() {
    assertThat(predecessorsOf(SUCCEED)).containsExactly(PROCESSING);
    assertThat(predecessorsOf(PROCESSING)).containsExactly(QUEUED);
    assertThat(predecessorsOf(QUEUED)).containsExactly(PROCESSING);
    assertThat(predecessorsOf(CANCELED)).containsExactlyInAnyOrder(QUEUED, PROCESSING);
  }

  @Test
  void wireNamesMatchTheContract() {
    assertThat(QUEUED.wire()).isEqualTo("TASK_STATUS_QUEUED");
    assertThat(SUCCEED.wire()).isEqualTo("TASK_STATUS_SUCCEED");
    assertThat(fromWire("TASK_STATUS_FAILED")).contains(FAILED);
    assertThat(fromWire("processing")).contains(PROCESSING);
    assertThat(fromWire("nope")).isEmpty();
  }
}
