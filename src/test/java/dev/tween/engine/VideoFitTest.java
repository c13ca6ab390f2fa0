package dev.tween.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tween.testing.FFmpeg;
import dev.tween.testing.FFprobe;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Videos made elsewhere come out as H.264 MP4 of the requested size at their own frame rate. */
class VideoFitTest {
  @TempDir Path dir;

  /** A clip rendered by Debian's ffmpeg: red on the left quarter, blue elsewhere. */
  private Path clip(String name, int w, int h, int frames, int fps, String... codec)
      throws IOException, InterruptedException {
    Path out = dir.resolve(name);
    List<String> args =
        new ArrayList<>(
            List.of(
                "-f",
                "lavfi",
                "-i",
                "color=c=blue:s=%dx%d:r=%d,drawbox=x=0:y=0:w=%d:h=%d:color=red:t=fill"
                    .formatted(w, h, fps, w / 4, h),
                "-frames:v",
                Integer.toString(frames)));
    args.addAll(List.of(codec));
    args.add(out.toString());
    FFmpeg.run(args);
    return out;
  }

  @Test
  void anH264ClipIsScaledToTheRequestedSizeAtItsOwnRate() throws Exception {
    Path in = clip("in.mp4", 320, 176, 17, 16, "-c:v", "libx264", "-pix_fmt", "yuv420p");
    Path out = dir.resolve("out.mp4");
    VideoFit.fit(in, out, 1280, 720);
    var v = FFprobe.video(out);
    assertThat(v.codec()).isEqualTo("h264");
    assertThat(v.pixFmt()).isEqualTo("yuv420p");
    assertThat(v.width()).isEqualTo(1280);
    assertThat(v.height()).isEqualTo(720);
    assertThat(v.frameRate()).isEqualTo("16/1");
    assertThat(v.frames()).isEqualTo(17);
    assertThat(FFprobe.streams(out)).extracting(FFprobe.Stream::type).containsExactly("video");
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
        .containsOnly("in.mp4", "out.mp4");
  }

  @Test
  void anotherAspectIsCentreCropped() throws Exception {
    Path in = clip("in.webm", 640, 360, 5, 16, "-c:v", "libvpx-vp9", "-deadline", "realtime");
    Path portrait = dir.resolve("portrait.mp4");
    VideoFit.fit(in, portrait, 720, 1280);
    var v = FFprobe.video(portrait);
    assertThat(v.width()).isEqualTo(720);
    assertThat(v.height()).isEqualTo(1280);
    // The centre of a 16:9 frame holds none of its left quarter.
    BufferedImage first = VideoFrames.read(portrait, List.of(0)).getFirst();
    assertThat(redAt(first, 5, 640)).isFalse();
    Path landscape = dir.resolve("landscape.mp4");
    VideoFit.fit(in, landscape, 1920, 1080);
    assertThat(redAt(VideoFrames.read(landscape, List.of(0)).getFirst(), 5, 540)).isTrue();
  }

  @Test
  void aGifIsAVideoToo() throws Exception {
    Path in = clip("in.gif", 160, 90, 8, 8);
    Path out = dir.resolve("out.mp4");
    VideoFit.fit(in, out, 1280, 720);
    assertThat(FFprobe.video(out).codec()).isEqualTo("h264");
    assertThat(FFprobe.video(out).frames()).isEqualTo(8);
  }

  @Test
  void somethingThatIsNotAVideoIsNamedAndLeavesNothing() throws IOException {
    Path in = Files.writeString(dir.resolve("ComfyUI_00001_.mp4"), "<html>502 Bad Gateway</html>");
    Path out = dir.resolve("out.mp4");
    assertThatThrownBy(() -> VideoFit.fit(in, out, 1280, 720))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ComfyUI_00001_.mp4");
    assertThat(out).doesNotExist();
    assertThat(Files.list(dir).count()).isEqualTo(1);
  }

  private static boolean redAt(BufferedImage img, int x, int y) {
    int rgb = img.getRGB(x, y);
    return ((rgb >> 16) & 0xFF) > 150 && (rgb & 0xFF) < 100;
  }
}
