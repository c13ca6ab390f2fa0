package dev.tween.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tween.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deployments file a node cannot use stops it, naming the file, the deployment and the field. */
class DeploymentsConfigTest {
  @TempDir Path dir;

  Path file(String json) throws Exception {
    Path f = dir.resolve("deployments.json");
    Files.writeString(f, json);
    return f;
  }

  TweenConfig load(Path file, String generators) {
    return TweenConfig.load(
        Map.of(),
        Map.of("generator", generators, "deployments", file.toString(), "data", dir.toString()));
  }

  static final String VEO =
      "{\"name\": \"%s\", \"generator\": \"veo\", \"project\": \"p\", \"location\": \"%s\"%s}";

  @Test
  void aGoodFileMakesOneDeploymentEachWithDefaultsAndEnvSettingsCoverTheRest() throws Exception {
    Path f =
        file(
            "{\"deployments\": ["
                + VEO.formatted(
                    "veo-us", "us-central1", ", \"max_concurrent\": 4, \"requests_per_minute\": 30")
                + ","
                + VEO.formatted("veo-eu", "europe-west4", "")
                + "]}");
    var c =
        TweenConfig.load(
            Map.of("GEMINI_API_KEY", "k"),
            Map.of("generator", "veo,omni", "deployments", f.toString()));
    assertThat(c.deployments())
        .extracting(
            DeploymentSpec::name, DeploymentSpec::maxConcurrent, DeploymentSpec::requestsPerMinute)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple("veo-us", 4, 30),
            org.assertj.core.api.Assertions.tuple("veo-eu", 10, 0),
            org.assertj.core.api.Assertions.tuple("omni", 10, 0));
    assertThat(c.deployments().get(1).fields().text("location")).isEqualTo("europe-west4");
  }

  @Test
  void anUnreadableOrInvalidFileIsNamed() throws Exception {
    assertThatThrownBy(() -> load(dir.resolve("nope.json"), "veo"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--deployments")
        .hasMessageContaining("nope.json");
    Path bad = file("{\"deployments\": [ {\"name\": ");
    assertThatThrownBy(() -> load(bad, "veo"))
        .hasMessageContaining("deployments file " + bad)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> load(file("[]"), "veo")).hasMessageContaining("{\"deployments\"");
  }

  @Test
  void unknownGeneratorsDuplicatesLowLimitsAndUnservedGeneratorsAreRefused() throws Exception {
    assertThatThrownBy(
            () ->
                load(
                    file("{\"deployments\": [{\"name\": \"x\", \"generator\": \"sora\"}]}"), "veo"))
        .hasMessageContaining("deployment \"x\", field \"generator\"")
        .hasMessageContaining("sora");
    assertThatThrownBy(
            () ->
                load(
                    file(
                        "{\"deployments\": ["
                            + VEO.formatted("a", "l", "")
                            + ","
                            + VEO.formatted("a", "m", "")
                            + "]}"),
                    "veo"))
        .hasMessageContaining("two deployments are named \"a\"");
    assertThatThrownBy(
            () ->
                load(
                    file(
                        "{\"deployments\": ["
                            + VEO.formatted("a", "l", ", \"max_concurrent\": 0")
                            + "]}"),
                    "veo"))
        .hasMessageContaining("deployment \"a\", field \"max_concurrent\"")
        .hasMessageContaining("at least 1");
    assertThatThrownBy(
            () ->
                load(
                    file(
                        "{\"deployments\": ["
                            + VEO.formatted("a", "l", ", \"requests_per_minute\": -3")
                            + "]}"),
                    "veo"))
        .hasMessageContaining("field \"requests_per_minute\"");
    assertThatThrownBy(
            () -> load(file("{\"deployments\": [" + VEO.formatted("a", "l", "") + "]}"), "local"))
        .hasMessageContaining("deployment \"a\", field \"generator\"")
        .hasMessageContaining("not served by this node");
    assertThatThrownBy(
            () ->
                load(
                    file("{\"deployments\": [" + VEO.formatted("Bad Name", "l", "") + "]}"), "veo"))
        .hasMessageContaining("field \"name\"");
  }

  @Test
  void aMissingCredentialsFileOrAMisspeltFieldStopsTheNode() throws Exception {
    Path f =
        file(
            "{\"deployments\": ["
                + VEO.formatted("veo-us", "us-central1", ", \"credentials\": \"keys/missing.json\"")
                + "]}");
    assertThatThrownBy(
            () ->
                TestNode.start(
                    dir.resolve("node"),
                    Optional.empty(),
                    Map.of("generator", "veo", "deployments", f.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("deployments file " + f)
        .hasMessageContaining("deployment \"veo-us\", field \"credentials\"")
        .hasMessageContaining(dir.resolve("keys/missing.json").toString());
    Path typo =
        file(
            "{\"deployments\": ["
                + VEO.formatted("veo-us", "us-central1", ", \"projct\": \"p\"")
                + "]}");
    assertThatThrownBy(
            () ->
                TestNode.start(
                    dir.resolve("node2"),
                    Optional.empty(),
                    Map.of("generator", "veo", "deployments", typo.toString())))
        .hasMessageContaining("deployment \"veo-us\"")
        .hasMessageContaining("unknown field projct");
  }
}
