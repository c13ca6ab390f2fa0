package dev.tween.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.tween.task.TaskSpec;

/** The JSON form of a {@link TaskSpec} in the task table. */
final class TaskSpecCodec {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new Jdk8Module())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private TaskSpecCodec() {}

  static String encode(TaskSpec spec) {
    try {
      return JSON.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode task spec", e);
    }
  }

  static TaskSpec decode(String json) {
    try {
      return JSON.readValue(json, TaskSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "corrupt task spec in database: " + e.getOriginalMessage(), e);
    }
  }
}
