package dev.tween.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration table lists every setting with its flag, variable and default. */
class ReadmeConfigTableTest {

  @Test
  void everySettingIsDocumented() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    for (Setting s : Settings.ALL) {
      String dflt = s.defaultValue().isEmpty() ? "(empty)" : "`" + s.defaultValue() + "`";
      assertThat(readme)
          .as(s.name())
          .contains("| `" + s.flag() + "` | `" + s.envVar() + "` | " + dflt + " |");
    }
  }
}
