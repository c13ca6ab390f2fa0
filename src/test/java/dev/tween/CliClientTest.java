package dev.tween;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.testing.Images;
import dev.tween.testing.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./tween submit --wait and ./tween status against a real server. */
class CliClientTest {
  @TempDir Path dir;

  @Test
  void submitWaitsAndDownloadsThenStatusReportsSuccess() throws Exception {
    Path first = dir.resolve("a.png");
    Path last = dir.resolve("b.jpg");
    Files.write(first, Images.png(320, 180, 0));
    Files.write(last, Images.jpeg(320, 180, 30));
    try (TestNode node = TestNode.start(dir.resolve("node"), Optional.empty(), Map.of())) {
      var out = new ByteArrayOutputStream();
      PrintStream original = System.out;
      int code;
      try {
        System.setOut(new PrintStream(out, true));
        code =
            Main.commandLine()
                .execute(
                    "submit",
                    "--server",
                    node.url(""),
                    "--key",
                    TestNode.KEY,
                    "--first",
                    first.toString(),
                    "--last",
                    last.toString(),
                    "--prompt",
                    "cli test",
                    "--duration",
                    "4",
                    "--samples",
                    "2",
                    "--wait",
                    "--out",
                    dir.resolve("out").toString());
      } finally {
        System.setOut(original);
      }
      assertThat(code).as(out.toString()).isZero();
      String[] lines = out.toString().strip().split("\\R");
      String id = lines[0].strip();
      assertThat(Path.of(lines[1].strip())).exists();
      assertThat(Files.list(dir.resolve("out")).toList()).hasSize(2);
      byte[] mp4 = Files.readAllBytes(dir.resolve("out").resolve(id + "-1.mp4"));
      assertThat(new String(mp4, 4, 4)).isEqualTo("ftyp");
      assertThat(node.result(id).at("/task/status").asText()).isEqualTo("TASK_STATUS_SUCCEED");

      int bad =
          Main.commandLine().execute("status", "--server", node.url(""), "--key", "wrong", id);
      assertThat(bad).isNotZero();
    }
  }
}
