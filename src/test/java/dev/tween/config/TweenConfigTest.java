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
  void retentionTakesDaysHoursMinutesOrSecondsAndTheFreeSpaceFloorBytes() {
    assertThat(TweenConfig.defaults().storage())
        .isEqualTo(new TweenConfig.Storage(Duration.ofDays(7), 512L << 20));
    assertThat(TweenConfig.load(Map.of("TWEEN_RETENTION", "30d"), Map.of()).storage().retention())
        .isEqualTo(Duration.ofDays(30));
    assertThat(TweenConfig.load(Map.of(), Map.of("retention", "12h")).storage().retention())
        .isEqualTo(Duration.ofHours(12));
    assertThat(TweenConfig.load(Map.of(), Map.of("retention", "20s")).storage().retention())
        .isEqualTo(Duration.ofSeconds(20));
    assertThat(TweenConfig.load(Map.of(), Map.of("retention", "90M")).storage().retention())
        .isEqualTo(Duration.ofMinutes(90));
    for (String bad : new String[] {"30", "1w", "-1d", "0s", "1.5h", "3651d", ""}) {
      assertThatThrownBy(() -> TweenConfig.load(Map.of(), Map.of("retention", bad)))
          .as(bad)
          .hasMessageContaining("--retention / TWEEN_RETENTION");
    }
    assertThat(TweenConfig.load(Map.of(), Map.of("min-free-bytes", "0")).storage().minFreeBytes())
        .isZero();
    assertThatThrownBy(() -> TweenConfig.load(Map.of("TWEEN_MIN_FREE_BYTES", "512M"), Map.of()))
        .hasMessageContaining("--min-free-bytes / TWEEN_MIN_FREE_BYTES")
        .hasMessageContaining("whole number");
  }

  @Test
  void secretsAreMaskedInTheResolvedView() {
    TweenConfig c = TweenConfig.load(Map.of("TWEEN_API_KEYS", "secret1"), Map.of());
    assertThat(c.raw().get("api-keys")).isEqualTo("***");
    assertThat(c.raw().toString()).doesNotContain("secret1");
  }
}
