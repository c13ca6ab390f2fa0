package dev.tween.bench;

import dev.tween.engine.TweenEngine;
import dev.tween.engine.VideoFrames;
import java.awt.Color;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
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
 * {@code ./tween bench quality}: middle-frame quality of the engine against a crossfade and ffmpeg's
 * minterpolate, on triplets (k, k+d, k+2d) of real footage and on synthetic motion with exact ground
 * truth. All three methods run on the same triplets in the same run.
 */
@Command(name = "quality", description = "Middle-frame PSNR/SSIM: engine vs crossfade vs minterpolate.")
public final class QualityBench implements Callable<Integer> {
  static final Path FOOTAGE = Path.of("/usr/share/doc/opencv-doc/examples/data");

  @Option(names = "--out", defaultValue = "bench/results", description = "Output directory (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--save-frames", description = "Also write each case's frames (truth, engine, crossfade, minterpolate) as PNG here.")
  Path saveFrames;

  /** One test case: first, true middle, last. */
  record Triplet(String name, String kind, BufferedImage first, BufferedImage middle, BufferedImage last) {}

  record Row(String name, String kind, double engine, double crossfade, double minterpolate, double engineSsim,
      double crossfadeSsim, double minterpolateSsim) {}

  @Override
  public Integer call() throws Exception {
    List<Triplet> cases = new ArrayList<>();
    cases.addAll(footage("Megamind.avi", new int[] {20, 60, 110, 160, 210}, 3));
    cases.addAll(footage("tree.avi", new int[] {5, 20, 35, 50}, 3));
    cases.addAll(synthetic());
    var engine = new TweenEngine();
    Path work = Files.createDirectories(Path.of("bench/work/quality"));
    List<Row> rows = new ArrayList<>();
    for (Triplet c : cases) {
      int w = c.first().getWidth();
      int h = c.first().getHeight();
      BufferedImage mine = engine.frame(c.first(), c.last(), w, h, 0.5);
      BufferedImage fade = TweenEngine.crossfade(c.first(), c.last(), 0.5);
      BufferedImage mi = Minterpolate.middle(c.first(), c.last(), work);
      if (saveFrames != null) {
        Files.createDirectories(saveFrames);
        String base = c.name().replaceAll("[^A-Za-z0-9]+", "_");
        save(c.middle(), saveFrames.resolve(base + "-truth.png"));
        save(mine, saveFrames.resolve(base + "-engine.png"));
        save(fade, saveFrames.resolve(base + "-crossfade.png"));
        save(mi, saveFrames.resolve(base + "-minterpolate.png"));
      }
      rows.add(new Row(c.name(), c.kind(), ImageMetrics.psnr(mine, c.middle()), ImageMetrics.psnr(fade, c.middle()),
          ImageMetrics.psnr(mi, c.middle()), ImageMetrics.ssim(mine, c.middle()), ImageMetrics.ssim(fade, c.middle()),
          ImageMetrics.ssim(mi, c.middle())));
      Row r = rows.getLast();
      System.err.printf(Locale.ROOT, "%-28s engine %.2f  crossfade %.2f  minterpolate %.2f dB%n", r.name(), r.engine(),
          r.crossfade(), r.minterpolate());
    }
    write(rows);
    return 0;
  }

  static List<Triplet> footage(String file, int[] starts, int d) throws IOException {
    Path video = FOOTAGE.resolve(file);
    if (!Files.exists(video)) {
      throw new IOException(video + " is missing: install Debian's opencv-doc package (./tween test and ./tween bench do)");
    }
    List<Integer> idx = new ArrayList<>();
    for (int k : starts) idx.addAll(List.of(k, k + d, k + 2 * d));
    List<BufferedImage> frames = VideoFrames.read(video, idx);
    List<Triplet> out = new ArrayList<>();
    for (int i = 0; i < starts.length; i++) {
      out.add(new Triplet(file.replace(".avi", "") + " k=" + starts[i] + " d=" + d, "footage",
          frames.get(3 * i), frames.get(3 * i + 1), frames.get(3 * i + 2)));
    }
    return out;
  }

  /** Pans, a zoom and a moving object over a detailed texture, with the exact middle frame. */
  static List<Triplet> synthetic() throws IOException {
    BufferedImage texture = scaled(VideoFrames.read(FOOTAGE.resolve("Megamind.avi"), List.of(90)).getFirst(), 2.0);
    int w = 640;
    int h = 360;
    List<Triplet> out = new ArrayList<>();
    for (int pan : new int[] {160, 360}) {
      out.add(new Triplet("pan " + pan + " px", "synthetic", crop(texture, 100, 300, w, h),
          crop(texture, 100 + pan / 2, 300, w, h), crop(texture, 100 + pan, 300, w, h)));
    }
    out.add(new Triplet("zoom 1.0→0.8", "synthetic", zoomCrop(texture, 1.0, w, h), zoomCrop(texture, 0.9, w, h),
        zoomCrop(texture, 0.8, w, h)));
    BufferedImage bg = crop(texture, 400, 500, w, h);
    out.add(new Triplet("moving disc 300 px", "synthetic", disc(bg, 120), disc(bg, 270), disc(bg, 420)));
    BufferedImage patch = crop(texture, 700, 250, 160, 160);
    out.add(new Triplet("textured object 300 px", "synthetic", paste(bg, patch, 40), paste(bg, patch, 190),
        paste(bg, patch, 340)));
    return out;
  }

  static BufferedImage crop(BufferedImage src, int x, int y, int w, int h) {
    var out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    var g = out.createGraphics();
    g.drawImage(src, -x, -y, null);
    g.dispose();
    return out;
  }

  static BufferedImage zoomCrop(BufferedImage src, double scale, int w, int h) {
    double cw = src.getWidth() * 0.8 * scale;
    double ch = cw * h / w;
    double x = (src.getWidth() - cw) / 2;
    double y = (src.getHeight() - ch) / 2;
    var out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    var g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.drawImage(src, 0, 0, w, h, (int) Math.round(x), (int) Math.round(y), (int) Math.round(x + cw),
        (int) Math.round(y + ch), null);
    g.dispose();
    return out;
  }

  static BufferedImage disc(BufferedImage bg, int x) {
    var out = crop(bg, 0, 0, bg.getWidth(), bg.getHeight());
    var g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    for (int r = 70; r > 0; r -= 10) {
      g.setColor(new Color(40 + r * 2, 200 - r, 90 + r));
      g.fillOval(x - r, 180 - r, 2 * r, 2 * r);
    }
    g.dispose();
    return out;
  }

  /** A textured object (a cut-out of another part of the scene) over a still background. */
  static BufferedImage paste(BufferedImage bg, BufferedImage object, int x) {
    var out = crop(bg, 0, 0, bg.getWidth(), bg.getHeight());
    var g = out.createGraphics();
    g.drawImage(object, x, 100, null);
    g.dispose();
    return out;
  }

  static BufferedImage scaled(BufferedImage src, double f) {
    int w = (int) (src.getWidth() * f);
    int h = (int) (src.getHeight() * f);
    var out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    var g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.drawImage(src, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  private void write(List<Row> rows) throws IOException {
    Files.createDirectories(out);
    var csv = new StringBuilder("case,kind,engine_psnr,crossfade_psnr,minterpolate_psnr,engine_ssim,crossfade_ssim,minterpolate_ssim\n");
    var md = new StringBuilder("# bench quality — " + LocalDateTime.now().withNano(0) + "\n\nMiddle frame (t = 0.5) of each "
        + "triplet against the true middle frame; PSNR (dB) and SSIM on the Y plane.\n\n"
        + "| case | engine PSNR | crossfade PSNR | minterpolate PSNR | engine SSIM | crossfade SSIM | minterpolate SSIM |\n"
        + "|---|---|---|---|---|---|---|\n");
    double[] sum = new double[6];
    double worstVsFade = Double.MAX_VALUE;
    for (Row r : rows) {
      csv.append(String.format(Locale.ROOT, "%s,%s,%.2f,%.2f,%.2f,%.4f,%.4f,%.4f%n", r.name(), r.kind(), r.engine(),
          r.crossfade(), r.minterpolate(), r.engineSsim(), r.crossfadeSsim(), r.minterpolateSsim()));
      md.append(String.format(Locale.ROOT, "| %s | **%.2f** | %.2f | %.2f | **%.3f** | %.3f | %.3f |%n", r.name(), r.engine(),
          r.crossfade(), r.minterpolate(), r.engineSsim(), r.crossfadeSsim(), r.minterpolateSsim()));
      double[] v = {r.engine(), r.crossfade(), r.minterpolate(), r.engineSsim(), r.crossfadeSsim(), r.minterpolateSsim()};
      for (int i = 0; i < 6; i++) sum[i] += v[i];
      worstVsFade = Math.min(worstVsFade, r.engine() - r.crossfade());
    }
    int n = rows.size();
    md.append(String.format(Locale.ROOT, "| **mean** | **%.2f** | %.2f | %.2f | **%.3f** | %.3f | %.3f |%n%n", sum[0] / n,
        sum[1] / n, sum[2] / n, sum[3] / n, sum[4] / n, sum[5] / n));
    md.append(String.format(Locale.ROOT, "Engine mean − crossfade mean: %+.2f dB; engine mean − minterpolate mean: %+.2f dB; "
        + "worst case engine − crossfade: %+.2f dB.%n", (sum[0] - sum[1]) / n, (sum[0] - sum[2]) / n, worstVsFade));
    Files.writeString(out.resolve("quality.csv"), csv);
    Files.writeString(out.resolve("quality.md"), md);
    System.out.print(md);
  }

  /** Writes a frame for a look by eye. */
  static void save(BufferedImage img, Path file) throws IOException {
    ImageIO.write(img, "png", file.toFile());
  }
}
