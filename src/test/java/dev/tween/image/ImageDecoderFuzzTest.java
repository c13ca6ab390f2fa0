package dev.tween.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tween.generate.InputImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hostile bytes may only ever produce an {@link ImageDecodeException}: no other exception, no
 * out-of-memory, no hang.
 *
 * <p>The default test run replays the seed inputs (Jazzer's regression mode) plus a seeded mutation
 * loop over valid fixtures; the {@code fuzz-image-decoder} surefire execution then fuzzes for real
 * (coverage-guided, 30 s, skip with {@code -Dtween.fuzz.skip}). By hand: {@code JAZZER_FUZZ=1 mvn
 * test -Dtest=ImageDecoderFuzzTest#decodeNeverThrowsAnythingElse}; raise {@code maxDuration} to run
 * it longer (see docs/security-input.md).
 */
class ImageDecoderFuzzTest {
  /** Small, so every input decodes fast; the size check itself is the same code at any limit. */
  static final long FUZZ_MAX_PIXELS = 1_000_000;

  @FuzzTest(maxDuration = "30s")
  void decodeNeverThrowsAnythingElse(byte[] bytes) {
    exercise(bytes);
  }

  @Test
  void mutatedImagesOnlyFailWithDecodeException() throws Exception {
    List<byte[]> seeds = new ArrayList<>();
    seeds.add(Fixtures.write(Fixtures.redCorner(24, 16), "png"));
    seeds.add(Fixtures.write(Fixtures.redCorner(24, 16), "jpeg"));
    seeds.add(Fixtures.withExifOrientation(Fixtures.write(Fixtures.redCorner(24, 16), "jpeg"), 6));
    seeds.add(Fixtures.png16(5, 4, 4));
    seeds.add(Fixtures.palettePng());
    seeds.add(Fixtures.cmykJpeg(8, 8, 0, 0, 0, 0));
    var random = new SplittableRandom(20261125);
    int decoded = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] b = seeds.get(random.nextInt(seeds.size())).clone();
      int flips = 1 + random.nextInt(8);
      for (int f = 0; f < flips; f++) b[random.nextInt(b.length)] = (byte) random.nextInt(256);
      if (random.nextInt(4) == 0) b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
      if (exercise(b)) decoded++;
    }
    assertThat(decoded)
        .as("some mutants still decode, so decoding was really exercised")
        .isPositive();
  }

  /**
   * @return whether the bytes decoded
   */
  static boolean exercise(byte[] bytes) {
    ImageDecoder.sniff(bytes);
    try {
      ImageDecoder.Header info = ImageDecoder.inspect(bytes, FUZZ_MAX_PIXELS);
      var img = ImageDecoder.decode(new InputImage(bytes, info.format()), FUZZ_MAX_PIXELS);
      assertThat(img.getWidth()).isEqualTo(info.width());
      assertThat(img.getHeight()).isEqualTo(info.height());
      return true;
    } catch (ImageDecodeException expected) {
      assertThat(expected.getMessage()).isNotBlank();
      return false;
    }
  }
}
