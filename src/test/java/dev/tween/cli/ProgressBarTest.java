package dev.tween.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void onAPipeItPrintsAPlainLineEveryTenPercent() {
    var bar = new ProgressBar(out, "task1234", false);
    for (int p = 0; p <= 99; p += 3) bar.update(p / 100.0, "processing");
    bar.done();
    assertThat(text().lines().toList())
        .containsExactly(
            "task1234 0% processing",
            "task1234 12% processing",
            "task1234 21% processing",
            "task1234 30% processing",
            "task1234 42% processing",
            "task1234 51% processing",
            "task1234 60% processing",
            "task1234 72% processing",
            "task1234 81% processing",
            "task1234 90% processing",
            "task1234 100%");
    assertThat(text()).doesNotContain("\r").doesNotContain("\033");
  }

  @Test
  void onATerminalItRedrawsOneBarInPlace() {
    var bar = new ProgressBar(out, "generating", true);
    bar.update(0.0, "queued");
    bar.update(0.5, "processing");
    bar.update(0.5, "processing"); // unchanged: not drawn again
    bar.done();
    String t = text();
    assertThat(t.split("\r", -1)).hasSize(4); // three draws
    assertThat(t).contains("queued").contains(" 50% · processing").contains("100%");
    assertThat(t).contains("█".repeat(15)).contains("█".repeat(30));
    assertThat(t).endsWith("\n");
    assertThat(t.chars().filter(c -> c == '\n').count()).isEqualTo(1);
  }
}
