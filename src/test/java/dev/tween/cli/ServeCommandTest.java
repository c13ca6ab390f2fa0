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

  @Test
  void theFastPathAnswersLikeTheCommand() {
    var err = new java.io.ByteArrayOutputStream();
    var out = new java.io.ByteArrayOutputStream();
    var e = System.err;
    var o = System.out;
    try {
      System.setErr(new java.io.PrintStream(err, true));
      System.setOut(new java.io.PrintStream(out, true));
      assertThat(Commands.serve(new String[] {"--port", "http"})).isEqualTo(2);
      assertThat(Commands.serve(new String[] {"--help", "--debug"})).isZero();
    } finally {
      System.setErr(e);
      System.setOut(o);
    }
    assertThat(err.toString().lines().toList())
        .singleElement()
        .asString()
        .startsWith("tween: ")
        .contains("port");
    assertThat(out.toString()).startsWith("Usage: tween serve").contains("TWEEN_PORT");
  }
}
