package dev.tween.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

/** The JSON form of a {@link TaskSpec} in the task table. */
public final class TaskSpecCodec {
  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new Jdk8Module())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private TaskSpecCodec() {}

  public static String encode(TaskSpec spec) {
    try {
      return JSON.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode task spec", e);
    }
  }

  /**
   * A task's spec never changes after insert, and clients poll the same tasks every second or two:
   * remembering recent decodes saves a JSON parse per poll. Keyed by the JSON itself, so a hit is
   * always right.
   */
  private static final int CACHE_SIZE = 4096;
  private static final java.util.Map<String, TaskSpec> RECENT = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(CACHE_SIZE * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, TaskSpec> eldest) {
          return size() > CACHE_SIZE;
        }
      });

  public static TaskSpec decode(String json) {
    TaskSpec cached = RECENT.get(json);
    if (cached != null) return cached;
    TaskSpec spec = parse(json);
    RECENT.put(json, spec);
    return spec;
  }

  private static TaskSpec parse(String json) {
    try {
      return JSON.readValue(json, TaskSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt task spec in database: " + e.getOriginalMessage(), e);
    }
  }
}
