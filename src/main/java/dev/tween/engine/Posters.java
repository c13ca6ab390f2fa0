package dev.tween.engine;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** A poster for a clip: its middle frame as a JPEG, at most 640 pixels wide. */
public final class Posters {
  private static final int MAX_WIDTH = 640;

  private Posters() {}

  public static void write(Path mp4, Path jpeg) throws IOException {
    int frames = VideoFrames.count(mp4);
    BufferedImage frame = VideoFrames.read(mp4, List.of(Math.max(0, frames / 2))).getFirst();
    double scale = Math.min(1.0, (double) MAX_WIDTH / frame.getWidth());
    int w = (int) Math.round(frame.getWidth() * scale);
    int h = (int) Math.round(frame.getHeight() * scale);
    var out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    var g = out.createGraphics();
    g.setRenderingHint(
        java.awt.RenderingHints.KEY_INTERPOLATION,
        java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(frame, 0, 0, w, h, null);
    g.dispose();
    if (!ImageIO.write(out, "jpg", jpeg.toFile())) throw new IOException("no JPEG writer");
  }
}
