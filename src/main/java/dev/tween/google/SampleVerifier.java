package dev.tween.google;

import java.io.IOException;
import java.nio.file.Path;

/** Checks that a downloaded sample is a playable MP4 before the task may succeed. */
@FunctionalInterface
public interface SampleVerifier {
  void verify(Path mp4) throws IOException;
}
