package dev.tween.worker;

import java.nio.file.Path;
import java.time.Duration;

/** The worker pool's share of the configuration. */
public record WorkerSettings(
    int workers,
    Duration lease,
    Duration heartbeat,
    Duration poll,
    int maxFailures,
    int maxCrashes,
    Duration retryBase,
    Path workDir,
    int nice) {}
