package dev.tween.task;

import java.time.Instant;
import java.util.Optional;

/**
 * A task as stored: what was asked ({@link TaskSpec}), where it is, and its bookkeeping.
 *
 * @param progressPercent 0..100, never decreasing while the task lives
 * @param etaSeconds estimated seconds to completion, 0 when final
 * @param samples sample videos stored (set when SUCCEED)
 * @param reason why it FAILED, or a note on success (e.g. samples removed by upstream safety
 *     filters)
 * @param poster whether a poster image of the first sample is stored
 * @param expiredAt when its files (videos, poster, stored inputs) were deleted at the end of the
 *     retention; empty while they are kept
 */
public record Task(
    String id,
    String tenant,
    TaskStatus status,
    TaskSpec spec,
    int progressPercent,
    int etaSeconds,
    int samples,
    String reason,
    int attempt,
    int failures,
    int crashes,
    boolean cancelRequested,
    Optional<String> resumeState,
    Instant createdAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    boolean poster,
    Optional<Instant> expiredAt) {}
