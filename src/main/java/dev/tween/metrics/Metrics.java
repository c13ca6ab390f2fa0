package dev.tween.metrics;

import dev.tween.task.Task;
import dev.tween.task.TaskStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The node's metrics in Prometheus format. The only class that knows Micrometer; the rest of tween
 * reports through the small methods here.
 */
public final class Metrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer engineFrames;

  /**
   * @param taskCounts counts by state (cached by the caller: it is read on every scrape)
   */
  public Metrics(Supplier<Map<TaskStatus, Long>> taskCounts) {
    var cache = new CachedCounts(taskCounts);
    for (TaskStatus s : TaskStatus.values()) {
      Gauge.builder("tween_tasks", () -> cache.get().getOrDefault(s, 0L))
          .description("Tasks in the store by state")
          .tag("state", s.wire())
          .register(registry);
    }
    Gauge.builder("tween_queue_depth", () -> cache.get().getOrDefault(TaskStatus.QUEUED, 0L))
        .description("Tasks waiting for a worker")
        .register(registry);
    engineFrames =
        Timer.builder("tween_engine_frame_seconds")
            .description("Local engine: synthesis + encoding of one frame")
            .publishPercentileHistogram()
            .register(registry);
  }

  public void httpRequest(String method, String route, int status, long nanos) {
    Timer.builder("tween_http_request_seconds")
        .description("HTTP requests by route")
        .tag("method", method)
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  public void taskFinished(Task task) {
    task.finishedAt()
        .ifPresent(
            end ->
                Timer.builder("tween_task_duration_seconds")
                    .description("Submit to final state")
                    .tag("state", task.status().wire())
                    .publishPercentileHistogram()
                    .register(registry)
                    .record(Duration.between(task.createdAt(), end)));
  }

  public void engineFrame(long nanos) {
    engineFrames.record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * An upstream (Veo) call: {@code call} is submit, poll or download; {@code outcome} ok or an HTTP
   * code.
   */
  public void upstreamCall(String model, String call, String outcome) {
    Counter.builder("tween_upstream_calls_total")
        .description("Calls to the upstream models")
        .tag("model", model)
        .tag("call", call)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  /** A task's charge: seconds of video delivered and what they cost its key. */
  public void charged(
      String keyName, String model, String currency, long videoSeconds, double cost) {
    Counter.builder("tween_video_seconds")
        .description("Seconds of video delivered (duration × samples)")
        .tag("key_name", keyName)
        .tag("model", model)
        .register(registry)
        .increment(videoSeconds);
    Counter.builder("tween_spend")
        .description("Money charged to keys, in the price table's currency")
        .tag("key_name", keyName)
        .tag("currency", currency)
        .register(registry)
        .increment(cost);
  }

  /** 1 while {@code dependency} (database, storage) is reachable, 0 while it is down. */
  public void dependency(String dependency, java.util.function.BooleanSupplier up) {
    Gauge.builder("tween_dependency_up", () -> up.getAsBoolean() ? 1 : 0)
        .description("Whether a dependency is reachable (1) or down (0)")
        .tag("dependency", dependency)
        .register(registry);
  }

  /**
   * A request answered 503 because {@code dependency} was unreachable (507 for a full {@code
   * disk}).
   */
  public void unavailableAnswer(String dependency) {
    Counter.builder("tween_unavailable_responses_total")
        .description("Requests answered 503 (507: disk) because a dependency was unavailable")
        .tag("dependency", dependency)
        .register(registry)
        .increment();
  }

  /** A deployment's operations in flight (cluster-wide) and whether this node sends it work. */
  public void deployment(
      String deployment,
      java.util.function.IntSupplier inFlight,
      java.util.function.BooleanSupplier up) {
    Gauge.builder("tween_deployment_in_flight", inFlight::getAsInt)
        .description("Upstream operations holding a slot of the deployment, over every node")
        .tag("deployment", deployment)
        .register(registry);
    Gauge.builder("tween_deployment_up", () -> up.getAsBoolean() ? 1 : 0)
        .description("1 while this node sends the deployment work; 0 while its circuit is open")
        .tag("deployment", deployment)
        .register(registry);
    Counter.builder("tween_deployment_throttled_total")
        .description("Upstream 429 answers (quota) from the deployment")
        .tag("deployment", deployment)
        .register(registry);
  }

  public void deploymentThrottled(String deployment) {
    Counter.builder("tween_deployment_throttled_total")
        .description("Upstream 429 answers (quota) from the deployment")
        .tag("deployment", deployment)
        .register(registry)
        .increment();
  }

  /**
   * Blob storage's size (objects and bytes, from the last count), and the free space under the data
   * directory.
   */
  public void storage(
      java.util.function.LongSupplier objects,
      java.util.function.LongSupplier bytes,
      java.util.function.LongSupplier diskFreeBytes) {
    Gauge.builder("tween_storage_objects", objects::getAsLong)
        .description("Blobs stored (videos, posters, input images); -1 until first counted")
        .register(registry);
    Gauge.builder("tween_storage_bytes", bytes::getAsLong)
        .description("Bytes of blob storage in use; -1 until first counted")
        .register(registry);
    Gauge.builder("tween_disk_free_bytes", diskFreeBytes::getAsLong)
        .description("Usable space left on the file system(s) under the data directory")
        .register(registry);
  }

  /** One retention sweep ran; it deleted the files of {@code tasks} tasks. */
  public void retentionSwept(int tasks, long objects, long bytes) {
    Counter.builder("tween_retention_sweeps")
        .description("Retention sweeps run")
        .register(registry)
        .increment();
    Counter.builder("tween_expired_tasks")
        .description("Tasks whose files were deleted at the end of their retention")
        .register(registry)
        .increment(tasks);
    Counter.builder("tween_expired_objects")
        .description("Blobs deleted at the end of their task's retention")
        .register(registry)
        .increment(objects);
    Counter.builder("tween_expired_bytes")
        .description("Bytes deleted at the end of their task's retention")
        .register(registry)
        .increment(bytes);
  }

  public String scrape() {
    return registry.scrape();
  }

  /** Counting tasks is a query; a scrape every few seconds should not run it once per gauge. */
  private static final class CachedCounts {
    private final Supplier<Map<TaskStatus, Long>> source;
    private volatile Map<TaskStatus, Long> value = Map.of();
    private volatile long at;

    CachedCounts(Supplier<Map<TaskStatus, Long>> source) {
      this.source = source;
    }

    Map<TaskStatus, Long> get() {
      long now = System.nanoTime();
      if (now - at > 1_000_000_000L || value.isEmpty()) {
        try {
          value = source.get();
        } catch (RuntimeException e) {
          // The database is down: keep the last counts; /metrics must answer during an outage.
        }
        at = now;
      }
      return value;
    }
  }
}
