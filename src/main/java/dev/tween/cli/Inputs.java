package dev.tween.cli;

import dev.tween.generate.InputImage;
import dev.tween.image.ImageDecodeException;
import dev.tween.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a keyframe file given on the command line, with the same rules as the API. */
final class Inputs {
  private Inputs() {}

  static InputImage load(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    var format =
        ImageDecoder.sniff(bytes)
            .orElseThrow(() -> CliException.failed(file + ": not a JPEG or PNG image"));
    return new InputImage(bytes, format);
  }

  static BufferedImage read(Path file) throws IOException {
    try {
      return ImageDecoder.decode(load(file));
    } catch (ImageDecodeException e) {
      throw CliException.failed(file + ": " + e.getMessage(), e);
    }
  }

  /** Fails before any work when {@code out} cannot be written: its directory is missing. */
  static void checkWritable(Path out, String option) {
    Path dir = out.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir))
      throw CliException.failed(option + " " + out + ": no such directory " + dir);
    if (dir != null && !Files.isWritable(dir))
      throw CliException.failed(option + " " + out + ": cannot write in " + dir);
  }
}
