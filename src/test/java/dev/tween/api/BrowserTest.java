package dev.tween.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.testing.Images;
import dev.tween.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web page in a real browser (Debian's Chromium driven by playwright-core, both installed by
 * ./tween test) against a real node with the local engine. With a finished task listed, the page
 * must fit a phone (390×844) and a laptop (1280×800): no element may reach past the viewport. Its
 * full-page screenshots go to target/browser/ (never into the work tree).
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
    Path shots = Files.createDirectories(Path.of("target/browser").toAbsolutePath());
    List<Path> expected =
        List.of(shots.resolve("web-page-390x844.png"), shots.resolve("web-page-1280x800.png"));
    for (Path shot : expected) Files.deleteIfExists(shot);
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
                  "SHOTS",
                  shots.toString()));
      Process p = pb.start();
      String output = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).as(output).isZero();
      for (Path shot : expected) assertThat(shot).as(output).isNotEmptyFile();
    }
  }
}
