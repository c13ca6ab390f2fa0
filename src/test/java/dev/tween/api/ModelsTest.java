package dev.tween.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelsTest {
  @Test
  void oneGeneratorKeepsTheSeedRouteAndTaskTypeWhateverItIs() {
    var m = Models.of(List.of("local"), Models.SEED_ROUTE, List.of("/x"));
    assertThat(m.models())
        .containsExactly(
            new Models.Model("local", "VEO_3_1_LITE_FLF2V", List.of(Models.SEED_ROUTE, "/x")));
    assertThat(m.taskType("")).isEqualTo("VEO_3_1_LITE_FLF2V");
    assertThat(m.models().getFirst().name())
        .as("what the web page's select shows: the model, not the seed's task type")
        .isEqualTo("Local engine (CPU)");
  }

  @Test
  void severalGeneratorsEachHaveTheirOwnRouteAndTaskTypeAndUnclaimedPathsGoToTheFirst() {
    var m = Models.of(List.of("omni", "veo", "local"), "/custom", List.of(Models.SEED_ROUTE));
    assertThat(m.models())
        .containsExactly(
            new Models.Model(
                "omni",
                "GEMINI_OMNI_FLASH_FLF2V",
                List.of("/v3/async/gemini-omni-flash-flf2v", "/custom")),
            new Models.Model("veo", "VEO_3_1_LITE_FLF2V", List.of(Models.SEED_ROUTE)),
            new Models.Model("local", "TWEEN_LOCAL_FLF2V", List.of("/v3/async/tween-local-flf2v")));
    assertThat(m.taskType(""))
        .as("rows from before routes: the first")
        .isEqualTo("GEMINI_OMNI_FLASH_FLF2V");
    assertThat(m.taskType("local")).isEqualTo("TWEEN_LOCAL_FLF2V");
  }
}
