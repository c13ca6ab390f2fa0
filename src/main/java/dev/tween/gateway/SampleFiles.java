package dev.tween.gateway;

import java.nio.file.Path;

/** Where an operation writes its samples: {@code file(k)} for its k-th (0-based) sample. */
@FunctionalInterface
public interface SampleFiles {
  Path file(int k);
}
