package dev.tween.cli;

import dev.tween.engine.TweenEngine;
import dev.tween.generate.VideoOptions.AspectRatio;
import dev.tween.generate.VideoOptions.Resolution;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./tween generate}: the server's local engine on the command line. */
@Command(
    name = "generate",
    description = "Generate a video locally from two keyframes (the server's engine).")
final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--first", required = true, description = "First keyframe (JPEG or PNG).")
  Path first;

  @Option(names = "--last", required = true, description = "Last keyframe (JPEG or PNG).")
  Path last;

  @Option(
      names = "--prompt",
      required = true,
      description =
          "Prompt (kept for parity with the API; the local engine does not interpret it).")
  String prompt;

  @Option(
      names = "--duration",
      defaultValue = "8",
      description = "4, 6 or 8 seconds (default ${DEFAULT-VALUE}).")
  int duration;

  @Option(
      names = "--resolution",
      defaultValue = "720p",
      description = "720p or 1080p (default ${DEFAULT-VALUE}).")
  String resolution;

  @Option(
      names = "--aspect-ratio",
      defaultValue = "16:9",
      description = "16:9 or 9:16 (default ${DEFAULT-VALUE}).")
  String aspectRatio;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "0 … 4294967295 (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--samples",
      defaultValue = "1",
      description = "1 … 4 variants (default ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--audio", description = "Add the ambient audio track.")
  boolean audio;

  @Option(
      names = "--out",
      required = true,
      description = "Output MP4; further samples get -2, -3, … before .mp4.")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (duration != 4 && duration != 6 && duration != 8)
      throw CliException.usage("--duration: must be 4, 6 or 8, got " + duration);
    if (samples < 1 || samples > 4)
      throw CliException.usage("--samples: must be from 1 to 4, got " + samples);
    if (seed < 0 || seed > 0xFFFF_FFFFL)
      throw CliException.usage("--seed: must be from 0 to 4294967295, got " + seed);
    Resolution res =
        Resolution.fromWire(resolution)
            .orElseThrow(
                () -> CliException.usage("--resolution: must be 720p or 1080p, got " + resolution));
    AspectRatio ar =
        AspectRatio.fromWire(aspectRatio)
            .orElseThrow(
                () ->
                    CliException.usage("--aspect-ratio: must be 16:9 or 9:16, got " + aspectRatio));
    int w = ar == AspectRatio.LANDSCAPE ? res.longSide() : res.shortSide();
    int h = ar == AspectRatio.LANDSCAPE ? res.shortSide() : res.longSide();
    Inputs.checkWritable(out, "--out");
    Thread.ofPlatform().daemon().name("tween-preload").start(TweenEngine::preload);
    BufferedImage a = Inputs.read(first);
    BufferedImage b = Inputs.read(last);
    List<Path> outputs = new ArrayList<>();
    for (int i = 0; i < samples; i++) outputs.add(i == 0 ? out : sibling(out, i + 1));
    var bar = ProgressBar.onStderr("generating");
    long start = System.nanoTime();
    try {
      new TweenEngine()
          .render(
              a,
              b,
              new TweenEngine.Clip(w, h, duration * 24, seed, audio),
              outputs,
              bar::update,
              () -> false);
    } catch (Exception e) {
      bar.end();
      throw e;
    }
    bar.done();
    System.out.printf(
        "%s  (%dx%d, %d frames, %.1f s)%n",
        String.join(", ", outputs.stream().map(Path::toString).toList()),
        w,
        h,
        duration * 24,
        (System.nanoTime() - start) / 1e9);
    return 0;
  }

  static Path sibling(Path out, int n) {
    String name = out.getFileName().toString();
    String base = name.endsWith(".mp4") ? name.substring(0, name.length() - 4) : name;
    return out.resolveSibling(base + "-" + n + ".mp4");
  }
}
