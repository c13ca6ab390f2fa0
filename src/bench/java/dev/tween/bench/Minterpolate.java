package dev.tween.bench;

import dev.tween.engine.EngineBench;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * ffmpeg's motion-compensated interpolation (the CLI from Debian), the baseline the engine must
 * beat.
 */
final class Minterpolate {
  static final String FILTER = "minterpolate=fps=2:mi_mode=mci:mc_mode=aobmc:me_mode=bidir";

  private Minterpolate() {}

  /**
   * The frame minterpolate puts halfway between {@code first} and {@code last}: the two frames at 1
   * fps (the last repeated so the filter has look-ahead), resampled to 2 fps; output frame 2 is the
   * middle.
   */
  static BufferedImage middle(BufferedImage first, BufferedImage last, Path work)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(work, "mi-");
    try {
      ImageIO.write(first, "png", dir.resolve("f1.png").toFile());
      for (int i = 2; i <= 4; i++)
        ImageIO.write(last, "png", dir.resolve("f" + i + ".png").toFile());
      run(
          List.of(
              "ffmpeg",
              "-loglevel",
              "error",
              "-y",
              "-framerate",
              "1",
              "-i",
              dir.resolve("f%d.png").toString(),
              "-vf",
              FILTER,
              dir.resolve("o%d.png").toString()));
      return EngineBench.copyBgr(ImageIO.read(dir.resolve("o2.png").toFile()));
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
    }
  }

  static void run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
  }
}
