package dev.tween.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tween.store.TaskStore;
import dev.tween.task.Task;
import dev.tween.task.TaskStatus;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** {@code GET /v3/async/tasks}: the caller's tasks, newest first, with an opaque cursor. */
final class TaskListing {
  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;

  private final TaskStore store;
  private final TaskViews views;

  TaskListing(TaskStore store, TaskViews views) {
    this.store = store;
    this.views = views;
  }

  record Page(List<TaskResultBody> tasks, @JsonProperty("next_cursor") String nextCursor) {}

  void handle(Context ctx) {
    Optional<TaskStatus> status =
        Optional.ofNullable(ctx.queryParam("status"))
            .filter(s -> !s.isBlank())
            .map(
                s ->
                    TaskStatus.fromWire(s)
                        .orElseThrow(
                            () ->
                                ApiException.invalid(
                                    "status",
                                    "must be one of TASK_STATUS_QUEUED, TASK_STATUS_PROCESSING, TASK_STATUS_SUCCEED, TASK_STATUS_FAILED, TASK_STATUS_CANCELED")));
    int limit = limit(ctx.queryParam("limit"));
    Optional<TaskStore.Cursor> cursor =
        Optional.ofNullable(ctx.queryParam("cursor"))
            .filter(s -> !s.isBlank())
            .map(TaskListing::decode);
    List<Task> tasks = store.list(Authentication.tenant(ctx), status, limit + 1, cursor);
    boolean more = tasks.size() > limit;
    List<Task> page = more ? tasks.subList(0, limit) : tasks;
    String next = more ? encode(page.getLast()) : "";
    ctx.json(new Page(page.stream().map(views::render).toList(), next));
  }

  private static int limit(String raw) {
    if (raw == null || raw.isBlank()) return DEFAULT_LIMIT;
    try {
      int n = Integer.parseInt(raw.strip());
      if (n < 1 || n > MAX_LIMIT)
        throw ApiException.invalid("limit", "must be between 1 and " + MAX_LIMIT + ", got " + n);
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.invalid(
          "limit", "must be an integer, got \"" + SubmitParser.abbreviate(raw) + "\"");
    }
  }

  static String encode(Task t) {
    String raw = t.createdAt().toEpochMilli() + ":" + t.id();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static TaskStore.Cursor decode(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int colon = raw.indexOf(':');
      return new TaskStore.Cursor(
          Long.parseLong(raw.substring(0, colon)), raw.substring(colon + 1));
    } catch (RuntimeException e) {
      throw ApiException.invalid("cursor", "is not a cursor this API returned");
    }
  }
}
