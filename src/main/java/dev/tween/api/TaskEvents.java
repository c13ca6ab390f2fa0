package dev.tween.api;

import dev.tween.store.TaskStore;
import dev.tween.task.Task;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v3/async/tasks/{id}/events}: Server-Sent Events with the task-result body whenever
 * the task's state or progress changes, ending with a {@code result} event. The task is re-read
 * from the store, so it works whichever node runs the task. An unknown or foreign task never gets
 * here: {@link HttpApi} answers it 404 before the stream opens.
 */
final class TaskEvents {
  private static final Logger log = LoggerFactory.getLogger(TaskEvents.class);
  private static final Duration POLL = Duration.ofMillis(300);
  private static final Duration KEEPALIVE = Duration.ofSeconds(15);
  private static final Duration MAX_OPEN = Duration.ofHours(2);

  private final TaskStore store;
  private final TaskViews views;

  TaskEvents(TaskStore store, TaskViews views) {
    this.store = store;
    this.views = views;
  }

  void handle(SseClient client) {
    String tenant = Authentication.tenant(client.ctx());
    String id = client.ctx().pathParam("task_id");
    client.keepAlive();
    Thread.ofVirtual().name("sse-" + id).start(() -> stream(client, tenant, id));
  }

  private void stream(SseClient client, String tenant, String id) {
    String last = "";
    long opened = System.nanoTime();
    long lastSent = System.nanoTime();
    try {
      while (!client.terminated() && System.nanoTime() - opened < MAX_OPEN.toNanos()) {
        Optional<Task> task = store.find(tenant, id);
        if (task.isEmpty()) break;
        Task t = task.get();
        String state = t.status() + "/" + t.progressPercent();
        if (!state.equals(last)) {
          last = state;
          lastSent = System.nanoTime();
          String json = HttpApi.JSON.writeValueAsString(views.render(t));
          if (t.status().isFinal()) {
            client.sendEvent("result", json);
            break;
          }
          client.sendEvent(t.progressPercent() == 0 ? "status" : "progress", json);
        } else if (System.nanoTime() - lastSent > KEEPALIVE.toNanos()) {
          client.sendComment("keep-alive");
          lastSent = System.nanoTime();
        }
        Thread.sleep(POLL.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.debug("event=sse_closed task={} error=\"{}\"", id, e.toString());
    } finally {
      client.close();
    }
  }
}
