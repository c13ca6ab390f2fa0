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
    assertThat(c.deployments()).hasSize(1);
    var omni = c.deployments().getFirst();
    assertThat(omni.name()).isEqualTo("omni");
    assertThat(omni.maxConcurrent()).isEqualTo(10);
    assertThat(omni.fields().text("api_key")).as("falls back to GEMINI_API_KEY").isEqualTo("k");
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
                dev.tween.google.GoogleGenerators.veo(
                    TweenConfig.load(
                            Map.of(),
                            Map.of(
                                "generator", "veo", "veo-project", "p", "veo-base-url", "ftp://x"))
                        .deployments()
                        .getFirst()
                        .fields(),
                    mp4 -> {},
                    (c, o) -> {}))
        .as("checked once, where the deployment is made")
        .hasMessageContaining("--veo-base-url / TWEEN_VEO_BASE_URL")
        .hasMessageContaining("http(s) URL");
    assertThat(
            TweenConfig.load(Map.of(), Map.of("omni-api-key", "secret")).raw().get("omni-api-key"))
        .isEqualTo("***");
  }
}
