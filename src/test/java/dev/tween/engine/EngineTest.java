package dev.tween.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.bench.ImageMetrics;
import dev.tween.generate.VideoOptions;
import dev.tween.generate.VideoOptions.AspectRatio;
import dev.tween.generate.VideoOptions.Resolution;
import dev.tween.testing.FFprobe;
import dev.tween.testing.Images;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The local engine's output as a player and a viewer see it: geometry, codec, determinism, motion.
 */
class EngineTest {
  static final Path FOOTAGE = Path.of("/usr/share/doc/opencv-doc/examples/data/Megamind.avi");
  static BufferedImage texture;
  final TweenEngine engine = new TweenEngine();
  @TempDir Path dir;

  @BeforeAll
  static void loadFootage() throws Exception {
    assertThat(FOOTAGE)
        .as("Debian's opencv-doc footage (./tween test installs it: apt-get install opencv-doc)")
        .exists();
    BufferedImage frame = VideoFrames.read(FOOTAGE, List.of(90)).getFirst();
    texture = new BufferedImage(1440, 1056, BufferedImage.TYPE_3BYTE_BGR);
    var g = texture.createGraphics();
    g.setRenderingHint(
        java.awt.RenderingHints.KEY_INTERPOLATION,
        java.awt.RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.drawImage(frame, 0, 0, 1440, 1056, null);
    g.dispose();
  }

  static BufferedImage crop(int x, int y, int w, int h) {
    var out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    var g = out.createGraphics();
    g.drawImage(texture, -x, -y, null);
    g.dispose();
    return out;
  }

  Path render(
      BufferedImage a,
      BufferedImage b,
      int w,
      int h,
      int frames,
      long seed,
      boolean audio,
      String name)
      throws Exception {
    Path out = dir.resolve(name);
    engine.render(
        a, b, new TweenEngine.Clip(w, h, frames, seed, audio), List.of(out), p -> {}, () -> false);
    return out;
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "720p,16:9,1280,720",
    "720p,9:16,720,1280",
    "1080p,16:9,1920,1080",
    "1080p,9:16,1080,1920"
  })
  void outputGeometryAndCodecAreWhatTheContractPromises(String res, String aspect, int w, int h)
      throws Exception {
    var request =
        new VideoOptions(
            "p",
            java.util.Optional.empty(),
            4,
            Resolution.fromWire(res).orElseThrow(),
            AspectRatio.fromWire(aspect).orElseThrow(),
            1,
            1,
            true,
            true,
            false,
            VideoOptions.PersonGeneration.ALLOW_ADULT);
    assertThat(request.width()).isEqualTo(w);
    assertThat(request.height()).isEqualTo(h);
    Path mp4 =
        render(
            crop(100, 100, 800, 600),
            crop(160, 120, 800, 600),
            w,
            h,
            request.frameCount(),
            3,
            false,
            "g.mp4");
    FFprobe.Stream v = FFprobe.video(mp4);
    assertThat(v.codec()).isEqualTo("h264");
    assertThat(v.pixFmt()).isEqualTo("yuv420p");
    // Tagged as what Yuv makes, so players do not assume BT.709 for HD sizes.
    assertThat(v.colorSpace()).isEqualTo("smpte170m");
    assertThat(v.colorRange()).isEqualTo("tv");
    assertThat(v.width()).isEqualTo(w);
    assertThat(v.height()).isEqualTo(h);
    assertThat(v.frameRate()).isEqualTo("24/1");
    assertThat(v.frames()).isEqualTo(96);
    assertThat(FFprobe.streams(mp4)).noneMatch(s -> s.type().equals("audio"));
    byte[] bytes = Files.readAllBytes(mp4);
    assertThat(indexOf(bytes, "moov"))
        .as("faststart: the index comes before the media")
        .isLessThan(indexOf(bytes, "mdat"));
  }

  @Test
  void sameInputsAndSeedGiveByteIdenticalFiles() throws Exception {
    BufferedImage a = crop(100, 300, 640, 360);
    BufferedImage b = crop(180, 300, 640, 360);
    byte[] one = Files.readAllBytes(render(a, b, 640, 360, 24, 42, true, "one.mp4"));
    byte[] two = Files.readAllBytes(render(a, b, 640, 360, 24, 42, true, "two.mp4"));
    assertThat(two).isEqualTo(one);
  }

  @Test
  void thePosterIsTheFirstSamplesMiddleFrameAndLeavesTheVideoAsItWas() throws Exception {
    BufferedImage a = crop(100, 300, 1280, 720);
    BufferedImage b = crop(180, 330, 1280, 720);
    var clip = new TweenEngine.Clip(1280, 720, 24, 42, false);
    Path plain = dir.resolve("plain.mp4");
    Path withPoster = dir.resolve("with-poster.mp4");
    Path poster = dir.resolve("poster.jpg");
    engine.render(a, b, clip, List.of(plain), p -> {}, () -> false);
    engine.render(
        a, b, clip, List.of(withPoster), java.util.Optional.of(poster), p -> {}, () -> false);
    assertThat(Files.readAllBytes(withPoster)).isEqualTo(Files.readAllBytes(plain));

    BufferedImage fromFrames = javax.imageio.ImageIO.read(poster.toFile());
    assertThat(fromFrames.getWidth()).isEqualTo(640);
    assertThat(fromFrames.getHeight()).isEqualTo(360);
    Path decoded = dir.resolve("decoded.jpg");
    Posters.write(plain, decoded); // the poster as made from the finished video
    BufferedImage fromVideo = javax.imageio.ImageIO.read(decoded.toFile());
    assertThat(ImageMetrics.psnrRgb(fromFrames, fromVideo))
        .as("the same middle frame, before and after the encoder")
        .isGreaterThan(30);
    BufferedImage firstFrame = VideoFrames.read(plain, List.of(0)).getFirst();
    Path firstPoster = dir.resolve("first.jpg");
    try (var m = Frames.toMat(firstFrame)) {
      Posters.fromI420(Yuv.fromBgr(m), 1280, 720, firstPoster);
    }
    assertThat(ImageMetrics.psnrRgb(fromFrames, javax.imageio.ImageIO.read(firstPoster.toFile())))
        .as("not the first frame")
        .isLessThan(ImageMetrics.psnrRgb(fromFrames, fromVideo) - 3);
  }

  /**
   * A real pair with local motion and fewer feature matches than the seed's interpolator uses by
   * default: its middle frame changed from run to run while the interpolator read past its matches.
   */
  @Test
  void aRealPairGivesTheSameMiddleFrameEveryTime() throws Exception {
    Path clip = FOOTAGE.resolveSibling("Megamind_bugy.avi");
    List<BufferedImage> pair = VideoFrames.read(clip, List.of(240, 248));
    int w = pair.get(0).getWidth();
    int h = pair.get(0).getHeight();
    TweenEngine engine = new TweenEngine();
    byte[] first = pixels(engine.frame(pair.get(0), pair.get(1), w, h, 0.5));
    for (int i = 0; i < 3; i++) {
      byte[] again = pixels(engine.frame(pair.get(0), pair.get(1), w, h, 0.5));
      assertThat(Arrays.equals(again, first)).as("render %d equals the first", i + 2).isTrue();
    }
  }

  static byte[] pixels(BufferedImage image) {
    return ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
  }

  @Test
  void firstAndLastFramesAreTheInputs() throws Exception {
    BufferedImage a = crop(100, 300, 1280, 720);
    BufferedImage b = crop(260, 300, 1280, 720);
    Path mp4 = render(a, b, 1280, 720, 96, 9, false, "ends.mp4");
    List<BufferedImage> ends = VideoFrames.read(mp4, List.of(0, 95));
    assertThat(ImageMetrics.psnr(ends.get(0), a)).isGreaterThan(30);
    assertThat(ImageMetrics.psnr(ends.get(1), b)).isGreaterThan(30);
  }

  @Test
  void audioTrackOnlyWhenAskedAndAsLongAsTheVideo() throws Exception {
    BufferedImage a = crop(100, 300, 640, 360);
    BufferedImage b = crop(140, 300, 640, 360);
    Path with = render(a, b, 640, 360, 96, 5, true, "audio.mp4");
    var audio =
        FFprobe.streams(with).stream()
            .filter(s -> s.type().equals("audio"))
            .findFirst()
            .orElseThrow();
    assertThat(audio.codec()).isEqualTo("aac");
    assertThat(audio.sampleRate()).isEqualTo(48_000);
    assertThat(audio.channels()).isEqualTo(2);
    assertThat(audio.duration()).isCloseTo(4.0, org.assertj.core.data.Offset.offset(0.1));
    assertThat(FFprobe.streams(render(a, b, 640, 360, 96, 5, false, "silent.mp4")))
        .noneMatch(s -> s.type().equals("audio"));
  }

  @Test
  void syntheticPanMiddleFrameIsWithin35DbOfTheTruth() {
    BufferedImage a = crop(100, 300, 640, 360);
    BufferedImage truth = crop(180, 300, 640, 360);
    BufferedImage b = crop(260, 300, 640, 360);
    BufferedImage mid = engine.frame(a, b, 640, 360, 0.5);
    assertThat(ImageMetrics.psnr(mid, truth)).isGreaterThan(35);
    assertThat(ImageMetrics.psnr(TweenEngine.crossfade(a, b, 0.5), truth))
        .as("the case is hard for a dissolve")
        .isLessThan(25);
  }

  @Test
  void unrelatedFramesGiveACleanDissolve() {
    BufferedImage a = crop(0, 0, 640, 360);
    BufferedImage b = Images.scene(640, 360, 0);
    assertThat(engine.analysis(a, b, 640, 360).dissolve()).isTrue();
    BufferedImage mid = engine.frame(a, b, 640, 360, 0.5);
    assertThat(ImageMetrics.psnr(mid, TweenEngine.crossfade(a, b, 0.5))).isGreaterThan(40);
  }

  @Test
  void samplesOfOneRequestDifferVisibly() throws Exception {
    BufferedImage a = crop(100, 300, 640, 360);
    BufferedImage b = crop(200, 300, 640, 360);
    Path s0 = dir.resolve("s0.mp4");
    Path s1 = dir.resolve("s1.mp4");
    engine.render(
        a, b, new TweenEngine.Clip(640, 360, 48, 77, false), List.of(s0, s1), p -> {}, () -> false);
    BufferedImage m0 = VideoFrames.read(s0, List.of(16)).getFirst();
    BufferedImage m1 = VideoFrames.read(s1, List.of(16)).getFirst();
    assertThat(ImageMetrics.psnr(m0, m1)).isLessThan(32);
  }

  @Test
  void cancelStopsRendering() {
    BufferedImage a = crop(100, 300, 640, 360);
    int[] frames = {0};
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                engine.render(
                    a,
                    a,
                    new TweenEngine.Clip(640, 360, 96, 1, false),
                    List.of(dir.resolve("c.mp4")),
                    p -> frames[0]++,
                    () -> frames[0] > 10))
        .isInstanceOf(TweenEngine.Canceled.class);
    assertThat(frames[0]).isLessThan(20);
  }

  static int indexOf(byte[] hay, String needle) {
    byte[] n = needle.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + n.length <= hay.length; i++) {
      for (int j = 0; j < n.length; j++) if (hay[i + j] != n[j]) continue outer;
      return i;
    }
    return Integer.MAX_VALUE;
  }
}
