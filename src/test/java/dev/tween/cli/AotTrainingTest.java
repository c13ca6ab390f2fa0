package dev.tween.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.Main;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The runs the build records the start-up cache from: should one break, the launcher would quietly
 * start without a cache, so they are kept working here.
 */
class AotTrainingTest {
  @ParameterizedTest
  @ValueSource(strings = {"generate", "serve"})
  void theTrainingRunMakesAClip(String command) {
    assertThat(Main.commandLine().execute("aot-training", command)).isZero();
  }
}
