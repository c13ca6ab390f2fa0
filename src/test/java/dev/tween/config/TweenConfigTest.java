package dev.tween.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TweenConfigTest {

  @Test
  void defaultsAreTheEmbeddedSetup() {
    TweenConfig c = TweenConfig.defaults();
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.sqlite()).isTrue();
    assertThat(c.dbUrl()).endsWith("/data/tween.db");
    assertThat(c.storageUrl()).startsWith("file:").endsWith("/data/blobs");
    assertThat(c.videoUrlTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(c.generator()).isEqualTo("local");
    assertThat(c.role()).isEqualTo(TweenConfig.Role.ALL);
  }

  @Test
  void flagsWinOverEnvironmentWhichWinsOverDefaults() {
    TweenConfig c =
        TweenConfig.load(
            Map.of("TWEEN_PORT", "9000", "TWEEN_WORKERS", "3"), Map.of("port", "9100"));
    assertThat(c.port()).isEqualTo(9100);
    assertThat(c.workers()).isEqualTo(3);
  }

  @Test
  void badValuesNameTheSettingAndTheRule() {
    assertThatThrownBy(() -> TweenConfig.load(Map.of("TWEEN_PORT", "http"), Map.of()))
        .hasMessageContaining("--port / TWEEN_PORT")
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> TweenConfig.load(Map.of(), Map.of("generator", "sora")))
        .hasMessageContaining("--generator")
        .hasMessageContaining("local, veo");
    assertThatThrownBy(
            () ->
                TweenConfig.load(Map.of(), Map.of("lease-seconds", "10", "heartbeat-seconds", "8")))
        .hasMessageContaining("heartbeat-seconds");
    assertThatThrownBy(() -> TweenConfig.load(Map.of(), Map.of("no-such", "1")))
        .hasMessageContaining("unknown option --no-such");
    assertThatThrownBy(() -> TweenConfig.load(Map.of(), Map.of("db-url", "jdbc:mysql://x")))
        .hasMessageContaining("--db-url");
  }

  @Test
  void secretsAreMaskedInTheResolvedView() {
    TweenConfig c = TweenConfig.load(Map.of("TWEEN_API_KEYS", "secret1"), Map.of());
    assertThat(c.raw().get("api-keys")).isEqualTo("***");
    assertThat(c.raw().toString()).doesNotContain("secret1");
  }
}
