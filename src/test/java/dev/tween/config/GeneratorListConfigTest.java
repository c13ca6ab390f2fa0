package dev.tween.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TWEEN_GENERATOR: one generator or a comma list, each known, none twice, each with its settings.
 */
class GeneratorListConfigTest {
  @Test
  void aListIsReadInOrderAndTheFirstIsTheDefault() {
    var c =
        TweenConfig.load(Map.of("TWEEN_GENERATOR", "Omni, local", "GEMINI_API_KEY", "k"), Map.of());
    assertThat(c.generators()).containsExactly("omni", "local");
    assertThat(c.generator()).isEqualTo("omni");
    assertThat(c.omni().apiKey()).as("falls back to GEMINI_API_KEY").isEqualTo("k");
    assertThat(c.omni().model()).isEqualTo("gemini-omni-1.1-flash");
    assertThat(c.veo().model()).isEqualTo("veo-3.1-lite-generate-001");
    assertThat(c.veo().location()).isEqualTo("us-central1");
  }

  @Test
  void unknownDuplicateOrIncompleteGeneratorsAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> TweenConfig.load(Map.of(), Map.of("generator", "local,sora")))
        .hasMessageContaining("--generator")
        .hasMessageContaining("sora");
    assertThatThrownBy(() -> TweenConfig.load(Map.of(), Map.of("generator", "local,local")))
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> TweenConfig.load(Map.of(), Map.of("generator", "veo")))
        .hasMessageContaining("--veo-project");
    assertThatThrownBy(
            () ->
                TweenConfig.load(Map.of(), Map.of("generator", "local", "veo-base-url", "ftp://x")))
        .hasMessageContaining("--veo-base-url");
    assertThat(
            TweenConfig.load(Map.of(), Map.of("omni-api-key", "secret")).raw().get("omni-api-key"))
        .isEqualTo("***");
  }
}
