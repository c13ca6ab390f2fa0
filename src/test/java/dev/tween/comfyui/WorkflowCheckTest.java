package dev.tween.comfyui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tween.config.ConfigException;
import dev.tween.engine.VideoFit;
import dev.tween.gateway.Upstream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node with a bad comfyui deployment refuses to start, naming the file and what is wrong. */
class WorkflowCheckTest {
  @TempDir Path dir;

  private ConfigException refused(String workflowText) throws IOException {
    Path file = dir.resolve("flow.json");
    Files.writeString(file, workflowText);
    return refusedFile(file);
  }

  private ConfigException refusedFile(Path file) {
    var e =
        assertThatThrownBy(() -> open(Deployments.spec("gpu-1", "http://gpu-1:8188", file, null)))
            .isInstanceOf(ConfigException.class)
            .actual();
    ConfigException c = (ConfigException) e;
    assertThat(c.getMessage())
        .contains("deployments file " + dir.resolve("deployments.json"))
        .contains("deployment \"gpu-1\"")
        .contains("field \"workflow\"")
        .contains(file.toString());
    return c;
  }

  private static Upstream open(dev.tween.config.DeploymentSpec spec) {
    return ComfyUi.open(spec, VideoFit::fit, Clock.systemUTC());
  }

  private static String wan() throws IOException {
    return Files.readString(Deployments.WAN);
  }

  @Test
  void theShippedTemplateIsAccepted() {
    try (Upstream u = open(Deployments.spec("gpu-1", "http://gpu-1:8188", Deployments.WAN, 16))) {
      assertThat(u.chooseId()).isPresent();
    }
  }

  @Test
  void notJson() throws IOException {
    assertThat(refused("{\"1\": {\"class_type\": \"LoadImage\",").getMessage())
        .contains("is not valid JSON")
        .contains("line ");
  }

  @Test
  void trailingGarbageIsNotJson() throws IOException {
    assertThat(refused(wan() + "}").getMessage()).contains("is not valid JSON");
  }

  @Test
  void missingRequiredPlaceholders() throws IOException {
    String text =
        wan().replace("\"{{first_image}}\"", "\"a.png\"").replace("\"{{prompt}}\"", "\"x\"");
    assertThat(refused(text).getMessage())
        .contains("no {{first_image}} placeholder")
        .contains("no {{prompt}} placeholder")
        .doesNotContain("{{last_image}} placeholder");
  }

  @Test
  void unknownPlaceholder() throws IOException {
    assertThat(refused(wan().replace("{{frames}}", "{{length}}")).getMessage())
        .contains(
            "unknown placeholder {{length}} at node 81 (WanFirstLastFrameToVideo) input \"length\"")
        .contains("known: {{first_image}}");
  }

  @Test
  void placeholderInsideALongerString() throws IOException {
    assertThat(refused(wan().replace("\"{{prompt}}\"", "\"cinematic, {{prompt}}\"")).getMessage())
        .contains("node 90 (CLIPTextEncode) input \"text\" holds {{prompt}} inside a longer string")
        .contains("no {{prompt}} placeholder");
  }

  @Test
  void theUiFormatIsNamed() throws IOException {
    assertThat(refused("{\"nodes\": [], \"links\": [], \"version\": 0.4}").getMessage())
        .contains("UI format")
        .contains("Export (API)");
  }

  @Test
  void aNodeWithoutClassType() throws IOException {
    assertThat(refused("{\"1\": {\"inputs\": {}}}").getMessage())
        .contains("node \"1\" has no class_type and inputs");
  }

  @Test
  void aMissingFileIsNamed() {
    var spec = Deployments.spec("gpu-1", "http://gpu-1:8188", dir.resolve("nope.json"), null);
    assertThatThrownBy(() -> open(spec))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("field \"workflow\": no readable file " + dir.resolve("nope.json"));
  }

  @Test
  void otherFieldsAreChecked() throws IOException {
    Path wf = Files.copy(Deployments.WAN, dir.resolve("wan.json"));
    Map<String, JsonNode> typo =
        Map.of(
            "base_url", TextNode.valueOf("http://gpu-1:8188"),
            "workflow", TextNode.valueOf("wan.json"),
            "fsp", IntNode.valueOf(24));
    assertThatThrownBy(() -> open(Deployments.spec("gpu-1", typo, dir)))
        .hasMessageContaining("deployment \"gpu-1\": unknown field fsp");
    assertThatThrownBy(() -> open(Deployments.spec("gpu-1", "http://gpu-1:8188", wf, 0)))
        .hasMessageContaining("field \"fps\": must be between 1 and 120, got 0");
    assertThatThrownBy(() -> open(Deployments.spec("gpu-1", "gpu-1:8188", wf, null)))
        .hasMessageContaining("field \"base_url\"");
  }

  @Test
  void aRelativeWorkflowResolvesAgainstTheDeploymentsFile() throws IOException {
    Files.copy(Deployments.WAN, dir.resolve("wan.json"));
    Map<String, JsonNode> fields =
        Map.of(
            "base_url", TextNode.valueOf("http://gpu-1:8188/comfy"),
            "workflow", TextNode.valueOf("wan.json"));
    try (Upstream u = open(Deployments.spec("gpu-1", fields, dir))) {
      assertThat(u).isNotNull();
    }
  }
}
