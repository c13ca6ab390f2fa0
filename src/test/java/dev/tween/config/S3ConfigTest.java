package dev.tween.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The S3 settings of scale-out: defaults, environment variables, and messages naming the setting.
 */
class S3ConfigTest {

  @Test
  void defaultsPresignOnAwsInUsEast1() {
    TweenConfig.S3 s3 = TweenConfig.defaults().s3();
    assertThat(s3.endpoint()).isEmpty();
    assertThat(s3.region()).isEqualTo("us-east-1");
    assertThat(s3.pathStyle()).isFalse();
    assertThat(s3.presign()).isTrue();
  }

  @Test
  void readsTheScaleOutEnvironment() {
    TweenConfig c =
        TweenConfig.load(
            Map.of(
                "TWEEN_STORAGE_URL",
                "s3://videos/prod",
                "TWEEN_S3_ENDPOINT",
                "http://minio:9000",
                "TWEEN_S3_PATH_STYLE",
                "true",
                "TWEEN_S3_PRESIGN",
                "false",
                "TWEEN_S3_REGION",
                "eu-west-1",
                "TWEEN_DB_URL",
                "jdbc:postgresql://db/tween"),
            Map.of());
    assertThat(c.storageUrl()).isEqualTo("s3://videos/prod");
    assertThat(c.s3())
        .isEqualTo(
            new TweenConfig.S3(
                java.util.Optional.of(URI.create("http://minio:9000")), "eu-west-1", true, false));
    assertThat(c.sqlite()).isFalse();
  }

  @Test
  void badValuesNameTheSetting() {
    assertThatThrownBy(() -> TweenConfig.load(Map.of(), Map.of("storage-url", "s3://")))
        .hasMessageContaining("--storage-url")
        .hasMessageContaining("bucket");
    assertThatThrownBy(() -> TweenConfig.load(Map.of(), Map.of("s3-endpoint", "minio:9000")))
        .hasMessageContaining("--s3-endpoint / TWEEN_S3_ENDPOINT")
        .hasMessageContaining("http://");
    assertThatThrownBy(() -> TweenConfig.load(Map.of(), Map.of("s3-presign", "sometimes")))
        .hasMessageContaining("--s3-presign");
  }
}
