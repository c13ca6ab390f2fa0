package dev.tween.cli;

import dev.tween.engine.TweenEngine;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./tween frame}: one in-between frame, written as PNG. */
@Command(name = "frame", description = "Render one in-between frame of two keyframes.")
final class FrameCommand implements Callable<Integer> {
  @Option(names = "--first", required = true, description = "First keyframe (JPEG or PNG).")
  Path first;

  @Option(names = "--last", required = true, description = "Last keyframe (JPEG or PNG).")
  Path last;

  @Option(
      names = "--t",
      defaultValue = "0.5",
      description = "Time between 0 (first) and 1 (last); default ${DEFAULT-VALUE}.")
  double t;

  @Option(names = "--width", description = "Output width (default: the first frame's).")
  Integer width;

  @Option(names = "--height", description = "Output height (default: the first frame's).")
  Integer height;

  @Option(names = "--out", required = true, description = "Output PNG.")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (t < 0 || t > 1) throw CliException.usage("--t: must be from 0 to 1, got " + t);
    Inputs.checkWritable(out, "--out");
    Thread.ofPlatform().daemon().name("tween-preload").start(TweenEngine::preload);
    BufferedImage a = Inputs.read(first);
    BufferedImage b = Inputs.read(last);
    int w = width != null ? width : a.getWidth();
    int h = height != null ? height : a.getHeight();
    BufferedImage frame = new TweenEngine().frame(a, b, w, h, t);
    ImageIO.write(frame, "png", out.toFile());
    System.out.println(out + " (" + w + "x" + h + ", t=" + t + ")");
    return 0;
  }
}
