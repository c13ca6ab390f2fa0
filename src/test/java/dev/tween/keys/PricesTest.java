package dev.tween.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tween.config.ConfigException;
import dev.tween.generate.VideoOptions.Resolution;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TWEEN_PRICES file: its smallest form, the fallbacks, and errors that name the entry. */
class PricesTest {
  @TempDir Path dir;

  private Prices load(String json) throws Exception {
    Path f = dir.resolve("prices.json");
    Files.writeString(f, json);
    return Prices.load(f);
  }

  @Test
  void theSmallestFileWorksAndKeepsTheBuiltInGoogleModels() throws Exception {
    Prices p = load("{\"currency\":\"USD\",\"models\":{\"local\":{\"default\":0.10}}}");
    assertThat(p.perSecond("local", Resolution.P1080, true)).isEqualTo(100_000);
    assertThat(p.perSecond("veo", Resolution.P720, true)).isEqualTo(50_000);
    assertThat(p.perSecond("omni", Resolution.P720, false)).isEqualTo(100_000);
    assertThat(p.perSecond("someone-else", Resolution.P720, false)).isZero();
  }

  @Test
  void builtInPricesCostNothingLocallyAndDistinguishResolutionAndAudioForVeo() {
    Prices p = Prices.builtIn();
    assertThat(p.currency()).isEqualTo("USD");
    assertThat(p.perSecond("local", Resolution.P720, false)).isZero();
    assertThat(p.perSecond("veo", Resolution.P720, false)).isEqualTo(30_000);
    assertThat(p.perSecond("veo", Resolution.P1080, false)).isEqualTo(50_000);
    assertThat(p.perSecond("veo", Resolution.P1080, true)).isEqualTo(80_000);
  }

  @Test
  void comfyuiCostsNothingUntilTheStudioSetsAPricePerSecond() throws Exception {
    assertThat(Prices.builtIn().perSecond("comfyui", Resolution.P1080, false)).isZero();
    Prices p =
        load("{\"currency\":\"USD\",\"models\":{\"comfyui\":{\"720p\":0.02,\"1080p\":0.05}}}");
    assertThat(p.perSecond("comfyui", Resolution.P720, false)).isEqualTo(20_000);
    assertThat(p.perSecond("comfyui", Resolution.P1080, false)).isEqualTo(50_000);
    assertThat(p.perSecond("veo", Resolution.P720, false)).isEqualTo(30_000);
  }

  @Test
  void aSpecificEntryWinsOverDefault() throws Exception {
    Prices p = load("{\"currency\":\"EUR\",\"models\":{\"veo\":{\"default\":0.2,\"720p\":0.04}}}");
    assertThat(p.perSecond("veo", Resolution.P720, false)).isEqualTo(40_000);
    assertThat(p.perSecond("veo", Resolution.P720, true)).isEqualTo(200_000);
    assertThat(p.perSecond("omni", Resolution.P720, true))
        .as("another currency drops the USD built-ins")
        .isZero();
  }

  @Test
  void mistakesNameTheEntry() {
    assertThatThrownBy(() -> load("{\"currency\":\"USD\",\"models\":{\"veo\":{\"4k\":0.5}}}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("models.veo.4k")
        .hasMessageContaining("TWEEN_PRICES");
    assertThatThrownBy(() -> load("{\"currency\":\"USD\",\"models\":{\"veo\":{\"default\":-1}}}"))
        .hasMessageContaining("models.veo.default");
    assertThatThrownBy(() -> load("{\"models\":{}}")).hasMessageContaining("currency");
    assertThatThrownBy(() -> load("not json")).hasMessageContaining("JSON");
  }
}
