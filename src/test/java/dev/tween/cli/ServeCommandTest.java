package dev.tween.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tween.config.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServeCommandTest {

  @Test
  void picocliHandsEverySettingFlagThrough() {
    var cmd = new ServeCommand();
    new CommandLine(cmd).parseArgs("--port", "9000", "--data=/tmp/d", "--fetch-allow-private");
    assertThat(ServeCommand.parseFlags(cmd.flags))
        .isEqualTo(Map.of("port", "9000", "data", "/tmp/d", "fetch-allow-private", "true"));
  }

  @Test
  void strayArgumentsAreRefused() {
    assertThatThrownBy(() -> ServeCommand.parseFlags(List.of("8080")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--name value");
  }
}
