package dev.tween.gateway;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How this node runs upstream tasks.
 *
 * @param lease how long this node owns a task without renewing (renewed every {@code heartbeat})
 * @param idlePoll how often the admission loop looks for tasks when nothing woke it
 * @param timeout an operation not finished this long after its create fails the task (counted from
 *     the create, across crashes and restarts)
 * @param maxFailures failed attempts (internal errors) before a task ends FAILED
 * @param retryBase backoff after the n-th failure: base × 2^(n-1)
 * @param workDir where samples wait between download and storage
 * @param creates creates in flight from this node at once: each holds both input images (up to 2 ×
 *     20 MB) while it uploads them
 * @param polls polls in flight from this node at once
 * @param deliveries finished operations downloaded and stored at once: each may hold its videos
 */
public record GatewaySettings(
    Duration lease,
    Duration heartbeat,
    Duration idlePoll,
    Duration timeout,
    int maxFailures,
    Duration retryBase,
    Path workDir,
    int creates,
    int polls,
    int deliveries) {

  /** The per-node bounds that suit a 2-core node with a 1 GiB heap. */
  public static GatewaySettings of(
      Duration lease,
      Duration heartbeat,
      Duration idlePoll,
      Duration timeout,
      int maxFailures,
      Duration retryBase,
      Path workDir) {
    return new GatewaySettings(
        lease, heartbeat, idlePoll, timeout, maxFailures, retryBase, workDir, 8, 32, 4);
  }
}
