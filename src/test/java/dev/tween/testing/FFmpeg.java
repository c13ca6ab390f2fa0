package dev.tween.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The real ffmpeg (Debian's package) making test media: {@code ffmpeg -v error -y <args>}. */
public final class FFmpeg {
  private FFmpeg() {}

  public static void run(List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IOException("ffmpeg " + String.join(" ", args) + ": " + log);
  }
}
