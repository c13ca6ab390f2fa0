package dev.tween;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.engine.TweenEngine;
import dev.tween.google.FakeGoogle;
import dev.tween.testing.Images;
import dev.tween.testing.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./tween models lists a node's routes; ./tween submit --model picks one. */
class CliModelsTest {
  @TempDir Path dir;

  String run(String... args) {
    var out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    try {
      System.setOut(new PrintStream(out, true));
      int code = Main.commandLine().execute(args);
      assertThat(code).as(out.toString()).isZero();
    } finally {
      System.setOut(original);
    }
    return out.toString();
  }

  @Test
  void modelsAreListedAndSubmitGoesToTheChosenOne() throws Exception {
    Path mp4 = dir.resolve("sample.mp4");
    var img = Images.scene(64, 36, 0);
    new TweenEngine()
        .render(
            img,
            img,
            new TweenEngine.Clip(64, 36, 24, 1, false),
            List.of(mp4),
            p -> {},
            () -> false);
    Path first = dir.resolve("a.png");
    Files.write(first, Images.png(64, 36, 0));
    try (var fake = new FakeGoogle(Files.readAllBytes(mp4));
        TestNode node =
            TestNode.start(
                dir.resolve("node"),
                Optional.empty(),
                Map.of(
                    "generator",
                    "local,omni",
                    "omni-api-key",
                    FakeGoogle.GEMINI_KEY,
                    "omni-base-url",
                    fake.baseUrl(),
                    "omni-poll-millis",
                    "20"))) {
      String models = run("models", "--server", node.url(""), "--key", TestNode.KEY);
      assertThat(models)
          .contains("local")
          .contains("/v3/async/tween-local-flf2v")
          .contains("omni")
          .contains("GEMINI_OMNI_FLASH_FLF2V")
          .contains("Gemini Omni Flash")
          .contains("Local engine (CPU)")
          .contains("/v3/async/gemini-omni-flash-flf2v")
          .contains("/v3/async/veo-3.1-lite-flf2v");
      String id =
          run(
                  "submit",
                  "--server",
                  node.url(""),
                  "--key",
                  TestNode.KEY,
                  "--model",
                  "omni",
                  "--first",
                  first.toString(),
                  "--last",
                  first.toString(),
                  "--prompt",
                  "cli",
                  "--duration",
                  "4")
              .strip();
      assertThat(node.result(id).at("/task/task_type").asText())
          .isEqualTo("GEMINI_OMNI_FLASH_FLF2V");
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(20))
          .until(() -> node.result(id).at("/task/status").asText().equals("TASK_STATUS_SUCCEED"));
      assertThat(fake.submits).hasSize(1);
    }
  }
}
