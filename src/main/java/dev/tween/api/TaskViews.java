package dev.tween.api;

import dev.tween.api.TaskResultBody.DebugInfo;
import dev.tween.api.TaskResultBody.Extra;
import dev.tween.api.TaskResultBody.TaskInfo;
import dev.tween.api.TaskResultBody.Video;
import dev.tween.health.DependencyUnavailableException;
import dev.tween.keys.Money;
import dev.tween.keys.Usage;
import dev.tween.storage.BlobKeys;
import dev.tween.storage.BlobStore;
import dev.tween.storage.UrlSigner;
import dev.tween.task.Task;
import dev.tween.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Renders a stored task as the contract's task-result body, with fresh signed video links. */
final class TaskViews {
  public static final String TASK_TYPE = Models.SEED_TASK_TYPE;

  private final BlobStore blobs;
  private final UrlSigner signer;
  private final Duration ttl;
  private final java.util.function.Supplier<String> baseUrl;
  private final Function<String, Optional<Usage.TaskUsage>> usage;
  private final java.util.function.UnaryOperator<String> taskTypes;
  private final Function<Task, java.util.OptionalInt> queuedEta;

  /**
   * @param usage what a task cost, once it is settled
   * @param taskTypes the {@code task_type} of a task made by a generator (see {@link
   *     Models#taskType})
   * @param queuedEta the eta of a task queued for an upstream generator (its place in the queue
   *     over its deployments' capacity); empty for the others
   */
  TaskViews(
      BlobStore blobs,
      UrlSigner signer,
      Duration ttl,
      java.util.function.Supplier<String> baseUrl,
      Function<String, Optional<Usage.TaskUsage>> usage,
      java.util.function.UnaryOperator<String> taskTypes,
      Function<Task, java.util.OptionalInt> queuedEta) {
    this.queuedEta = queuedEta;
    this.usage = usage;
    this.taskTypes = taskTypes;
    this.blobs = blobs;
    this.signer = signer;
    this.ttl = ttl;
    this.baseUrl = baseUrl;
  }

  public TaskResultBody render(Task t) {
    var info =
        new TaskInfo(
            t.id(),
            taskTypes.apply(t.spec().generator()),
            t.status().wire(),
            t.reason(),
            eta(t),
            t.status() == TaskStatus.SUCCEED ? 100 : t.progressPercent());
    var debug =
        new DebugInfo("", ms(Optional.of(t.createdAt())), ms(t.startedAt()), ms(t.finishedAt()));
    var extra =
        new Extra(
            Long.toString(t.spec().options().seed()),
            debug,
            t.status().isFinal() ? usageOf(t.id()) : null,
            t.expiredAt().map(Instant::toString).orElse(null));
    boolean files = t.status() == TaskStatus.SUCCEED && t.expiredAt().isEmpty();
    List<Video> videos = new ArrayList<>();
    if (files) {
      for (int i = 0; i < t.samples(); i++) {
        videos.add(new Video(videoUrl(t.id(), i), Long.toString(ttl.toSeconds()), "mp4"));
      }
    }
    List<TaskResultBody.Image> images =
        files && t.poster()
            ? List.of(
                new TaskResultBody.Image(
                    signedUrl(BlobKeys.poster(t.id())), Long.toString(ttl.toSeconds()), "jpeg"))
            : List.of();
    return new TaskResultBody(info, extra, videos, images, List.of());
  }

  private int eta(Task t) {
    if (t.status().isFinal()) return 0;
    if (t.status() == TaskStatus.QUEUED) return queuedEta.apply(t).orElse(t.etaSeconds());
    return t.etaSeconds();
  }

  /**
   * What the task cost; left out while it cannot be settled (the database's disk is full): a read
   * must keep working.
   */
  private TaskResultBody.Usage usageOf(String taskId) {
    try {
      return usage
          .apply(taskId)
          .map(
              u ->
                  new TaskResultBody.Usage(
                      u.videoSeconds(), Money.of(u.costMicros()), u.currency()))
          .orElse(null);
    } catch (DependencyUnavailableException e) {
      return null;
    }
  }

  String videoUrl(String taskId, int index) {
    return signedUrl(BlobKeys.video(taskId, index));
  }

  private String signedUrl(String key) {
    return blobs
        .directUrl(key, ttl)
        .orElseGet(() -> baseUrl.get() + signer.sign("/v1/" + key, ttl));
  }

  private static String ms(Optional<Instant> t) {
    return t.map(i -> Long.toString(i.toEpochMilli())).orElse("");
  }
}
