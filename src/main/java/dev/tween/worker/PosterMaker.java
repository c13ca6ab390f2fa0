package dev.tween.worker;

import java.io.IOException;
import java.nio.file.Path;

/** Renders a poster image (JPEG) from a finished sample. */
@FunctionalInterface
public interface PosterMaker {
  void write(Path mp4, Path jpeg) throws IOException;

  PosterMaker NONE =
      (mp4, jpeg) -> {
        throw new IOException("no poster maker configured");
      };
}
