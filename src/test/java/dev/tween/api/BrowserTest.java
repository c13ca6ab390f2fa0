package dev.tween.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.testing.Images;
import dev.tween.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web page in a real browser (Debian's Chromium driven by playwright-core, both installed by
 * ./tween test) against a real node with the local engine. Saves a screenshot to bench/results/.
 */
@Tag("browser")
class BrowserTest {
  static final Path SCRIPT_DIR = Path.of("src/test/browser");
  @TempDir Path dir;

  @Test
  void aPersonCanMakeAVideoFromThePage() throws Exception {
    assertThat(SCRIPT_DIR.resolve("node_modules/playwright-core"))
        .as("playwright-core: ./tween test installs it (npm ci --prefix src/test/browser)")
        .exists();
    assertThat(Path.of("/usr/bin/chromium"))
        .as("Debian's chromium: ./tween test installs it (apt-get install chromium)")
        .exists();
    Path first = dir.resolve("first.png");
    Path last = dir.resolve("last.png");
    Files.write(first, Images.png(640, 360, 0));
    Files.write(last, Images.png(640, 360, 60));
    Path shot = Path.of("bench/results/web-page.png").toAbsolutePath();
    Files.createDirectories(shot.getParent());
    try (TestNode node = TestNode.start(dir.resolve("node"), Optional.empty(), Map.of())) {
      var pb =
          new ProcessBuilder("node", "page.test.mjs")
              .directory(SCRIPT_DIR.toFile())
              .redirectErrorStream(true);
      pb.environment()
          .putAll(
              Map.of(
                  "BASE_URL",
                  node.url(""),
                  "TWEEN_KEY",
                  TestNode.KEY,
                  "FIRST",
                  first.toString(),
                  "LAST",
                  last.toString(),
                  "SHOT",
                  shot.toString()));
      Process p = pb.start();
      String output = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).as(output).isZero();
      assertThat(shot).exists();
    }
  }
}
