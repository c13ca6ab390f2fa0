package dev.tween.api;

import dev.tween.keys.Ledger;
import dev.tween.store.TaskStore;
import dev.tween.task.TaskStatus;
import io.javalin.http.Context;
import java.util.Map;

/** A tenant's own tasks: task-result, cancel, and the check that guards the event stream. */
record TaskRoutes(TaskStore store, TaskViews views, Ledger ledger) {

  void taskResult(Context ctx) {
    String id = ctx.queryParam("task_id");
    if (id == null || id.isBlank())
      throw ApiException.invalid("task_id", "query parameter is required");
    var task =
        store
            .find(Authentication.tenant(ctx), id)
            .orElseThrow(() -> ApiException.notFound("no task " + id));
    ctx.json(views.render(task));
  }

  /** A plain JSON 404 for an unknown or foreign task, decided before a stream opens. */
  void requireTask(Context ctx) {
    String id = ctx.pathParam("task_id");
    if (store.find(Authentication.tenant(ctx), id).isEmpty())
      throw ApiException.notFound("no task " + id);
  }

  /**
   * Cancels a queued task at once and a running one as soon as its worker notices (within a second
   * or two).
   */
  void cancel(Context ctx) {
    String tenant = Authentication.tenant(ctx);
    String id = ctx.pathParam("task_id");
    switch (store.requestCancel(tenant, id)) {
      case NOT_FOUND -> throw ApiException.notFound("no task " + id);
      case ALREADY_FINAL -> {
        var t = store.find(tenant, id).orElseThrow(() -> ApiException.notFound("no task " + id));
        if (t.status() != TaskStatus.CANCELED) {
          throw new ApiException(
              409,
              "TASK_ALREADY_FINISHED",
              "task " + id + " already ended as " + t.status().wire(),
              Map.of("status", t.status().wire()));
        }
      }
      case CANCELED -> ledger.settle(id); // the reservation is free for the next submit at once
      case CANCEL_REQUESTED -> {}
    }
    ctx.json(views.render(store.find(tenant, id).orElseThrow()));
  }
}
