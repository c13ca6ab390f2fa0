package dev.tween.bench;

import dev.tween.engine.EngineBench;
import dev.tween.engine.TweenEngine;
import java.awt.RenderingHints;
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
 * {@code ./tween bench speed}: an 8 s clip made by the engine on its warp path against encoding the
 * same number of frames alone with the same encoder settings, and against ffmpeg's minterpolate, in
 * one run. The keyframes are a real pair (Megamind frames 110 and 118: a character talking and
 * gesturing) with the second zoomed 1.15× and panned, so there is global and local motion; the
 * bench fails if the engine would dissolve instead of warping.
 */
@Command(
    name = "speed",
    description = "Engine time (warp path) vs encode-only time vs minterpolate, 720p and 1080p.")
public final class SpeedBench implements Callable<Integer> {
  @Option(
      names = "--out",
      defaultValue = "bench/results",
      description = "Output directory (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--minterpolate-frames",
      defaultValue = "24",
      description =
          "Frames minterpolate renders; its time is scaled to the clip's 192 (default ${DEFAULT-VALUE}).")
  int miFrames;

  @Option(
      names = "--repeat",
      defaultValue = "3",
      description = "Timed runs per size; the fastest counts (default ${DEFAULT-VALUE}).")
  int repeat;

  @Option(
      names = "--parts",
      split = ",",
      defaultValue = "engine,server,cold",
      description =
          "What to time: engine (in this JVM, with minterpolate and peak RSS), server (HTTP"
              + " submit to SUCCEED on a ./tween serve), cold (new JVMs: ./tween generate, ./tween"
              + " serve to /healthz, with and without the start-up cache). Results are written only"
              + " when all run (default ${DEFAULT-VALUE}).")
  List<String> parts;

  record Row(
      String resolution,
      String path,
      double engineS,
      double encodeS,
      double encodeI420S,
      double engineCpuS,
      double encodeCpuS,
      double encodeI420CpuS,
      double minterpolateS,
      long peakRssMb) {}

  @Override
  public Integer call() throws Exception {
    List<BufferedImage> keys = keyframes();
    Path work = Files.createDirectories(Path.of("bench/work/speed"));
    String load = loadAverage();
    ColdStart coldStart = null;
    if (parts.contains("cold")) {
      Path first = work.resolve("first.png");
      Path last = work.resolve("last.png");
      ImageIO.write(keys.get(0), "png", first.toFile());
      ImageIO.write(keys.get(1), "png", last.toFile());
      coldStart = new ColdStart(first, last, work);
    }
    List<Row> rows;
    List<ServerPath.Timing> server = new ArrayList<>();
    try (ServerPath node = parts.contains("server") ? new ServerPath(keys, work) : null) {
      rows = engineRows(keys, work, node, coldStart);
      if (node != null) for (String res : List.of("720p", "1080p")) server.add(node.timing(res));
    }
    ColdStart.Timing[] cold = coldStart == null ? null : coldStart.timings();
    Tables engineTables = tables(rows, load + ", after the runs: " + loadAverage());
    String md =
        (parts.contains("engine") ? engineTables.md() : encodeOnlyLine(rows, load))
            + PathsReport.markdown(rows, server, cold, repeat);
    if (parts.containsAll(List.of("engine", "server", "cold"))) {
      Files.createDirectories(out);
      Files.writeString(out.resolve("speed.csv"), engineTables.csv());
      Files.writeString(out.resolve("speed-paths.csv"), PathsReport.csv(rows, server, cold));
      Files.writeString(out.resolve("speed.md"), md);
    }
    System.out.print(md);
    return 0;
  }

  /**
   * Per size: the engine in this JVM, warm, against the encode-only baselines (always measured: the
   * other parts' ratios need them); minterpolate and peak RSS only with the engine part.
   */
  private List<Row> engineRows(
      List<BufferedImage> keys, Path work, ServerPath server, ColdStart cold) throws Exception {
    boolean engineToo = parts.contains("engine");
    List<Row> rows = new ArrayList<>();
    for (int[] size : new int[][] {{1280, 720}, {1920, 1080}}) {
      int frames = 8 * EngineBench.FPS;
      var engine = new TweenEngine();
      EngineBench.Analysis analysis =
          EngineBench.analysis(keys.get(0), keys.get(1), size[0], size[1]);
      if (analysis.dissolve() || !analysis.globalMotion()) {
        throw new IllegalStateException(
            "the speed bench must time the warp path with global motion, but the engine "
                + "decided "
                + analysis);
      }
      var clip = new TweenEngine.Clip(size[0], size[1], frames, 1, false);
      Path file = work.resolve("engine-" + size[1] + ".mp4");
      if (engineToo) {
        engine.render(
            keys.get(0),
            keys.get(1),
            clip,
            List.of(file),
            p -> {},
            () -> false); // warm-up: JIT, native libraries
      }
      String res = size[1] + "p";
      if (server != null) server.warmUp(res, size[1] == 720 ? 2 : 1);
      double engineS = Double.MAX_VALUE;
      double encodeS = Double.MAX_VALUE;
      double engineCpu = Double.MAX_VALUE;
      double encodeCpu = Double.MAX_VALUE;
      double yuvS = Double.MAX_VALUE;
      double yuvCpu = Double.MAX_VALUE;
      for (int r = 0; r < repeat; r++) {
        if (engineToo) {
          long t0 = System.nanoTime();
          long c0 = cpuNanos();
          engine.render(keys.get(0), keys.get(1), clip, List.of(file), p -> {}, () -> false);
          engineS = Math.min(engineS, (System.nanoTime() - t0) / 1e9);
          engineCpu = Math.min(engineCpu, (cpuNanos() - c0) / 1e9);
        }
        double[] enc =
            encodeOnly(keys, size[0], size[1], frames, work.resolve("encode-" + size[1] + ".mp4"));
        encodeS = Math.min(encodeS, enc[0]);
        encodeCpu = Math.min(encodeCpu, enc[1]);
        double[] yuv =
            encodeOnlyI420(
                keys, size[0], size[1], frames, work.resolve("encode-i420-" + size[1] + ".mp4"));
        yuvS = Math.min(yuvS, yuv[0]);
        yuvCpu = Math.min(yuvCpu, yuv[1]);
        if (server != null) server.time(res);
        if (cold != null && size[1] == 720) cold.round();
      }
      long rss = engineToo ? generatePeakRssMb(keys, size[1] + "p", work) : 0;
      double miS = engineToo ? minterpolate(keys, size[0], size[1], work) * frames / miFrames : 0;
      String path =
          "warp ("
              + (analysis.globalMotion() ? "global + local" : "local")
              + ", matched "
              + String.format(Locale.ROOT, "%.2f", analysis.matchedShare())
              + ")";
      rows.add(
          new Row(
              size[0] + "x" + size[1],
              path,
              engineS,
              encodeS,
              yuvS,
              engineCpu,
              encodeCpu,
              yuvCpu,
              miS,
              rss));
      if (!engineToo) continue;
      System.err.printf(
          Locale.ROOT,
          "%dp: engine %.2f s, encode-only %.2f s (%.2f×), from I420 %.2f s (%.2f×); CPU %.2f s"
              + " vs %.2f s (%.2f×), from I420 %.2f s (%.2f×); minterpolate ~%.1f s, peak RSS %d"
              + " MB%n",
          size[1],
          engineS,
          encodeS,
          engineS / encodeS,
          yuvS,
          engineS / yuvS,
          engineCpu,
          encodeCpu,
          engineCpu / encodeCpu,
          yuvCpu,
          engineCpu / yuvCpu,
          miS,
          rss);
    }
    return rows;
  }

  /**
   * Megamind frames 110 and 118, the second zoomed 1.15× and panned (40, 24) px: global and local
   * motion.
   */
  static List<BufferedImage> keyframes() throws java.io.IOException {
    List<BufferedImage> real =
        EngineBench.read(QualityBench.FOOTAGE.resolve("Megamind.avi"), List.of(110, 118));
    return List.of(real.get(0), zoomAndPan(real.get(1), 1.15, 40, 24));
  }

  /** {@code img} scaled by {@code zoom} about its centre and shifted by (dx, dy), same size. */
  static BufferedImage zoomAndPan(BufferedImage img, double zoom, int dx, int dy) {
    var out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    var g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    double cx = img.getWidth() / 2.0;
    double cy = img.getHeight() / 2.0;
    g.translate(cx + dx, cy + dy);
    g.scale(zoom, zoom);
    g.translate(-cx, -cy);
    g.drawImage(img, 0, 0, null);
    g.dispose();
    return out;
  }

  /** CPU time of the whole process (all threads, native ones included). */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * Encodes {@code frames} distinct frames (dissolve steps rendered beforehand, not timed); returns
   * {wall seconds, CPU seconds}.
   */
  static double[] encodeOnly(List<BufferedImage> keys, int w, int h, int frames, Path file)
      throws Exception {
    List<BufferedImage> prepared = dissolveSteps(keys, w, h, frames);
    long t0 = System.nanoTime();
    long c0 = cpuNanos();
    EngineBench.encode(prepared, file);
    return new double[] {(System.nanoTime() - t0) / 1e9, (cpuNanos() - c0) / 1e9};
  }

  /**
   * The same frames as {@link #encodeOnly}, converted to I420 before the clock starts (the engine
   * hands the encoder I420, so this baseline leaves out the conversion the engine no longer needs);
   * returns {wall seconds, CPU seconds}.
   */
  static double[] encodeOnlyI420(List<BufferedImage> keys, int w, int h, int frames, Path file)
      throws Exception {
    List<BufferedImage> prepared = dissolveSteps(keys, w, h, frames);
    long[] start = new long[2];
    EngineBench.encodeI420(
        prepared,
        file,
        () -> {
          start[0] = System.nanoTime();
          start[1] = cpuNanos();
        });
    return new double[] {(System.nanoTime() - start[0]) / 1e9, (cpuNanos() - start[1]) / 1e9};
  }

  /** {@code frames} distinct frames to encode: the steps of a dissolve between the keyframes. */
  private static List<BufferedImage> dissolveSteps(
      List<BufferedImage> keys, int w, int h, int frames) {
    BufferedImage a = fit(keys.get(0), w, h);
    BufferedImage b = fit(keys.get(1), w, h);
    List<BufferedImage> prepared = new ArrayList<>();
    for (int i = 0; i < frames; i++)
      prepared.add(EngineBench.crossfade(a, b, (double) i / (frames - 1)));
    return prepared;
  }

  static BufferedImage fit(BufferedImage img, int w, int h) {
    return new TweenEngine().frame(img, img, w, h, 0);
  }

  /**
   * Peak resident memory (MB) of a separate {@code tween generate} process making the same 8 s clip
   * from the same keyframes: what one request costs, without the bench's own buffers.
   */
  static long generatePeakRssMb(List<BufferedImage> keys, String resolution, Path work)
      throws Exception {
    Path a = work.resolve("first.png");
    Path b = work.resolve("last.png");
    ImageIO.write(keys.get(0), "png", a.toFile());
    ImageIO.write(keys.get(1), "png", b.toFile());
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path report = work.resolve("rss.txt");
    Process p =
        new ProcessBuilder(
                "/usr/bin/time",
                "-f",
                "%M",
                "-o",
                report.toString(),
                java.toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.tween.Main",
                "generate",
                "--first",
                a.toString(),
                "--last",
                b.toString(),
                "--prompt",
                "bench",
                "--duration",
                "8",
                "--resolution",
                resolution,
                "--out",
                work.resolve("rss.mp4").toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("rss.log").toFile())
            .start();
    if (p.waitFor() != 0)
      throw new IllegalStateException("tween generate failed, see " + work.resolve("rss.log"));
    return Long.parseLong(Files.readString(report).strip()) / 1024;
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  /**
   * Seconds ffmpeg's minterpolate (same x264 settings) needs for {@code miFrames} frames at this
   * size.
   */
  double minterpolate(List<BufferedImage> keys, int w, int h, Path work) throws Exception {
    Path dir = Files.createTempDirectory(work, "mi-");
    ImageIO.write(fit(keys.get(0), w, h), "png", dir.resolve("f1.png").toFile());
    for (int i = 2; i <= 3; i++)
      ImageIO.write(fit(keys.get(1), w, h), "png", dir.resolve("f" + i + ".png").toFile());
    long t0 = System.nanoTime();
    Minterpolate.run(
        List.of(
            "ffmpeg",
            "-loglevel",
            "error",
            "-y",
            "-framerate",
            "24/191",
            "-i",
            dir.resolve("f%d.png").toString(),
            "-vf",
            "minterpolate=fps=24:mi_mode=mci:mc_mode=aobmc:me_mode=bidir",
            "-frames:v",
            Integer.toString(miFrames),
            "-c:v",
            "libx264",
            "-preset",
            EngineBench.PRESET,
            "-crf",
            EngineBench.CRF,
            "-pix_fmt",
            "yuv420p",
            dir.resolve("mi.mp4").toString()));
    double s = (System.nanoTime() - t0) / 1e9;
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) Files.deleteIfExists(p);
    }
    Files.deleteIfExists(dir);
    return s;
  }

  /** Without the engine part: the encode-only times the other parts' ratios divide by. */
  private static String encodeOnlyLine(List<Row> rows, String load) {
    var s =
        new StringBuilder("# bench speed (engine part skipped), load " + load + "\n\nEncode-only:");
    for (Row r : rows)
      s.append(
          String.format(
              Locale.ROOT,
              " %s %.2f s (BGR in), %.2f s (I420 in);",
              r.resolution(),
              r.encodeS(),
              r.encodeI420S()));
    return s.append("\n").toString();
  }

  /** The engine table: CSV and markdown. */
  private record Tables(String csv, String md) {}

  private Tables tables(List<Row> rows, String load) {
    var csv =
        new StringBuilder(
            "resolution,engine_path,engine_s,encode_only_s,engine_over_encode,"
                + "encode_only_i420_s,engine_over_encode_i420,engine_cpu_s,encode_only_cpu_s,"
                + "cpu_ratio,encode_only_i420_cpu_s,cpu_ratio_i420,minterpolate_s_est,"
                + "minterpolate_over_engine,peak_rss_mb\n");
    var md =
        new StringBuilder(
            "# bench speed — "
                + LocalDateTime.now().withNano(0)
                + "\n\n"
                + ApiBench.cpuLine()
                + " Load average (1 min) before the run: "
                + load
                + " (the machine is shared; compare the ratios, measured in the same"
                + " run). 8 s clip = 192 frames, x264 preset "
                + EngineBench.PRESET
                + ", crf "
                + EngineBench.CRF
                + "; keyframes"
                + " Megamind 110 and 118 with the second zoomed 1.15× and panned (40, 24) px, asserted to take the warp path."
                + " Engine and encode-only: fastest of "
                + repeat
                + " runs each, interleaved. Peak RSS: `tween generate` of the same clip"
                + " in a process of its own (/usr/bin/time, maximum resident set). minterpolate time is measured on "
                + miFrames
                + " frames and scaled to 192.\n\n"
                + " CPU: process CPU time (all threads) of the same runs, less sensitive to other load than wall time."
                + " Two encode-only baselines: BGR frames converted by FFmpeg (swscale) inside the timed encode, as"
                + " before; and the same frames converted to I420 before the clock starts, which is what the"
                + " engine now hands the encoder (the stricter baseline: its ratio is the higher).\n\n"
                + "| resolution | engine path | engine s | encode-only s (BGR in) | engine / encode | encode-only s (I420 in) | engine / encode (I420) | engine CPU s | encode-only CPU s (BGR / I420) | CPU ratio (BGR / I420) | peak RSS | minterpolate s (est.) | minterpolate / engine |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.1f,%.1f,%d%n",
              Csv.field(r.resolution()),
              Csv.field(r.path()),
              r.engineS(),
              r.encodeS(),
              r.engineS() / r.encodeS(),
              r.encodeI420S(),
              r.engineS() / r.encodeI420S(),
              r.engineCpuS(),
              r.encodeCpuS(),
              r.engineCpuS() / r.encodeCpuS(),
              r.encodeI420CpuS(),
              r.engineCpuS() / r.encodeI420CpuS(),
              r.minterpolateS(),
              r.minterpolateS() / r.engineS(),
              r.peakRssMb()));
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.2f | %.2f | **%.2f×** | %.2f | **%.2f×** | %.2f | %.2f / %.2f | %.2f× /"
                  + " %.2f× | %d MB | %.1f | %.1f× |%n",
              r.resolution(),
              r.path(),
              r.engineS(),
              r.encodeS(),
              r.engineS() / r.encodeS(),
              r.encodeI420S(),
              r.engineS() / r.encodeI420S(),
              r.engineCpuS(),
              r.encodeCpuS(),
              r.encodeI420CpuS(),
              r.engineCpuS() / r.encodeCpuS(),
              r.engineCpuS() / r.encodeI420CpuS(),
              r.peakRssMb(),
              r.minterpolateS(),
              r.minterpolateS() / r.engineS()));
    }
    return new Tables(csv.toString(), md.toString());
  }
}
