package dev.tween.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The dissolve fallback fires on real cuts (two unrelated shots) and never on continuous footage,
 * even with large local motion and 24 frames between the keyframes.
 */
class SceneCutTest {
  static final Path DATA = Path.of("/usr/share/doc/opencv-doc/examples/data");
  final TweenEngine engine = new TweenEngine();

  static BufferedImage frame(String clip, int index) throws Exception {
    return VideoFrames.read(DATA.resolve(clip), List.of(index)).getFirst();
  }

  TweenEngine.Analysis analysis(String clipA, int a, String clipB, int b) throws Exception {
    TweenEngine.Analysis r = engine.analysis(frame(clipA, a), frame(clipB, b), 720, 528);
    System.err.printf(
        "%s %d -> %s %d: %s%n", clipA, a, clipB, b, r); // the scores, for tuning by eye
    return r;
  }

  @ParameterizedTest(name = "{0} {1} → {2}")
  @CsvSource({
    "Megamind.avi, 10, 34", "Megamind.avi, 60, 84", "Megamind.avi, 110, 134",
        "Megamind.avi, 160, 184",
    "Megamind.avi, 215, 239", "Megamind.avi, 240, 264", "Megamind_bugy.avi, 120, 144",
        "Megamind_bugy.avi, 240, 264",
    "tree.avi, 5, 29", "tree.avi, 43, 67", "tree.avi, 55, 63"
  })
  void continuousFootageWarpsEvenTwentyFourFramesApart(String clip, int a, int b) throws Exception {
    assertThat(analysis(clip, a, clip, b).dissolve()).isFalse();
  }

  @ParameterizedTest(name = "{0} {1} → {2} {3}")
  @CsvSource({
    "Megamind.avi, 90, Megamind.avi, 110", "Megamind.avi, 140, Megamind.avi, 170",
        "Megamind.avi, 190, Megamind.avi, 215",
    "Megamind.avi, 60, Megamind.avi, 230", "Megamind.avi, 96, Megamind.avi, 99",
        "Megamind.avi, 152, Megamind.avi, 156",
    "Megamind.avi, 60, tree.avi, 30", "tree.avi, 20, Megamind_bugy.avi, 170"
  })
  void aCutBetweenUnrelatedShotsDissolves(String clipA, int a, String clipB, int b)
      throws Exception {
    assertThat(analysis(clipA, a, clipB, b).dissolve()).isTrue();
  }
}
