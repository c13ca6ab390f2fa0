package dev.tween.bench;

import dev.tween.engine.Mp4Writer;
import dev.tween.engine.TweenEngine;
import dev.tween.engine.VideoFrames;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./tween bench speed}: an 8 s clip made by the engine against encoding the same number of
 * frames alone with the same encoder settings, and against ffmpeg's minterpolate, in one run.
 */
@Command(name = "speed", description = "Engine time vs encode-only time vs minterpolate, 720p and 1080p.")
public final class SpeedBench implements Callable<Integer> {
  @Option(names = "--out", defaultValue = "bench/results", description = "Output directory (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--minterpolate-frames", defaultValue = "24",
      description = "Frames minterpolate renders; its time is scaled to the clip's 192 (default ${DEFAULT-VALUE}).")
  int miFrames;

  record Row(String resolution, double engineS, double encodeS, double minterpolateS) {}

  @Override
  public Integer call() throws Exception {
    List<BufferedImage> keys = VideoFrames.read(QualityBench.FOOTAGE.resolve("Megamind.avi"), List.of(60, 90));
    Path work = Files.createDirectories(Path.of("bench/work/speed"));
    List<Row> rows = new ArrayList<>();
    for (int[] size : new int[][] {{1280, 720}, {1920, 1080}}) {
      int frames = 8 * Mp4Writer.FPS;
      var engine = new TweenEngine();
      Path clip = work.resolve("engine-" + size[1] + ".mp4");
      engine.render(keys.get(0), keys.get(1), new TweenEngine.Clip(size[0], size[1], frames, 1, false), List.of(clip),
          p -> { }, () -> false); // warm-up: JIT and native libraries
      long t0 = System.nanoTime();
      engine.render(keys.get(0), keys.get(1), new TweenEngine.Clip(size[0], size[1], frames, 1, false), List.of(clip),
          p -> { }, () -> false);
      double engineS = (System.nanoTime() - t0) / 1e9;
      double encodeS = encodeOnly(keys, size[0], size[1], frames, work.resolve("encode-" + size[1] + ".mp4"));
      double miS = minterpolate(keys, size[0], size[1], work) * frames / miFrames;
      rows.add(new Row(size[0] + "x" + size[1], engineS, encodeS, miS));
      System.err.printf(Locale.ROOT, "%dp: engine %.2f s, encode-only %.2f s, minterpolate ~%.1f s%n", size[1], engineS,
          encodeS, miS);
    }
    write(rows);
    return 0;
  }

  /** Encodes {@code frames} distinct frames (dissolve steps rendered beforehand, not timed). */
  static double encodeOnly(List<BufferedImage> keys, int w, int h, int frames, Path file) throws Exception {
    BufferedImage a = fit(keys.get(0), w, h);
    BufferedImage b = fit(keys.get(1), w, h);
    List<BufferedImage> prepared = new ArrayList<>();
    for (int i = 0; i < frames; i++) prepared.add(TweenEngine.crossfade(a, b, (double) i / (frames - 1)));
    long t0 = System.nanoTime();
    TweenEngine.encode(prepared, file);
    return (System.nanoTime() - t0) / 1e9;
  }

  static BufferedImage fit(BufferedImage img, int w, int h) {
    return new TweenEngine().frame(img, img, w, h, 0);
  }

  /** Seconds ffmpeg's minterpolate (same x264 settings) needs for {@code miFrames} frames at this size. */
  double minterpolate(List<BufferedImage> keys, int w, int h, Path work) throws Exception {
    Path dir = Files.createTempDirectory(work, "mi-");
    ImageIO.write(fit(keys.get(0), w, h), "png", dir.resolve("f1.png").toFile());
    for (int i = 2; i <= 3; i++) ImageIO.write(fit(keys.get(1), w, h), "png", dir.resolve("f" + i + ".png").toFile());
    long t0 = System.nanoTime();
    Minterpolate.run(List.of("ffmpeg", "-loglevel", "error", "-y", "-framerate", "24/191", "-i",
        dir.resolve("f%d.png").toString(), "-vf", "minterpolate=fps=24:mi_mode=mci:mc_mode=aobmc:me_mode=bidir",
        "-frames:v", Integer.toString(miFrames), "-c:v", "libx264", "-preset", Mp4Writer.PRESET, "-crf", Mp4Writer.CRF,
        "-pix_fmt", "yuv420p", dir.resolve("mi.mp4").toString()));
    double s = (System.nanoTime() - t0) / 1e9;
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) Files.deleteIfExists(p);
    }
    Files.deleteIfExists(dir);
    return s;
  }

  private void write(List<Row> rows) throws Exception {
    Files.createDirectories(out);
    var csv = new StringBuilder("resolution,engine_s,encode_only_s,engine_over_encode,minterpolate_s_est,minterpolate_over_engine\n");
    var md = new StringBuilder("# bench speed — " + LocalDateTime.now().withNano(0) + "\n\n" + ApiBench.cpuLine()
        + " 8 s clip = 192 frames, x264 preset " + Mp4Writer.PRESET + ", crf " + Mp4Writer.CRF + ". minterpolate time is"
        + " measured on " + miFrames + " frames and scaled to 192.\n\n"
        + "| resolution | engine s | encode-only s | engine / encode | minterpolate s (est.) | minterpolate / engine |\n"
        + "|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      csv.append(String.format(Locale.ROOT, "%s,%.2f,%.2f,%.2f,%.1f,%.1f%n", r.resolution(), r.engineS(), r.encodeS(),
          r.engineS() / r.encodeS(), r.minterpolateS(), r.minterpolateS() / r.engineS()));
      md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | **%.2f×** | %.1f | %.1f× |%n", r.resolution(), r.engineS(),
          r.encodeS(), r.engineS() / r.encodeS(), r.minterpolateS(), r.minterpolateS() / r.engineS()));
    }
    Files.writeString(out.resolve("speed.csv"), csv);
    Files.writeString(out.resolve("speed.md"), md);
    System.out.print(md);
  }
}
