package dev.tween.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.testing.FakeGenerator;
import dev.tween.testing.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** ./tween keys create|list|update|revoke and ./tween usage against a real server. */
class KeysCliTest {
  @TempDir Path dir;

  private record Run(int code, String out) {}

  private static Run run(String... args) {
    var out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    try {
      System.setOut(new PrintStream(out, true));
      int code = mainCommand().execute(args);
      return new Run(code, out.toString());
    } finally {
      System.setOut(original);
    }
  }

  @CommandLine.Command(name = "tween")
  static final class Root {}

  private static CommandLine mainCommand() {
    return new CommandLine(new Root())
        .addSubcommand(new KeysCommands.Keys())
        .addSubcommand(new KeysCommands.Usage());
  }

  @Test
  void createListUsageRevoke() throws Exception {
    try (TestNode node =
        TestNode.start(
            dir,
            Optional.of(FakeGenerator.instant()),
            Map.of("workers", "0", "admin-key", "cli-admin"))) {
      String server = node.url("");
      Run created =
          run(
              "keys",
              "create",
              "--server",
              server,
              "--admin-key",
              "cli-admin",
              "--name",
              "cli-team",
              "--budget",
              "3.5",
              "--period",
              "day");
      assertThat(created.code()).as(created.out()).isZero();
      String id =
          created
              .out()
              .lines()
              .filter(l -> l.startsWith("id "))
              .findFirst()
              .orElseThrow()
              .substring(3)
              .strip();
      String key =
          created
              .out()
              .lines()
              .filter(l -> l.startsWith("key "))
              .findFirst()
              .orElseThrow()
              .substring(4)
              .strip();

      Run listed = run("keys", "list", "--server", server, "--admin-key", "cli-admin");
      assertThat(listed.code()).isZero();
      assertThat(listed.out())
          .contains(id)
          .contains("cli-team")
          .contains("3.5 USD/day")
          .contains("active")
          .doesNotContain(key);

      String[] admin = {"--server", server, "--admin-key", "cli-admin"};
      Run updated = run(with(admin, "keys", "update", id, "--budget", "5", "--rate-limit", "30"));
      assertThat(updated.code()).as(updated.out()).isZero();
      assertThat(updated.out()).contains(id).contains("5 USD/day").contains(" 30 ");
      Run unlimited = run(with(admin, "keys", "update", id, "--no-budget", "--default-rate-limit"));
      assertThat(unlimited.code()).as(unlimited.out()).isZero();
      assertThat(unlimited.out()).contains("default").doesNotContain("USD/day");
      run(with(admin, "keys", "update", id, "--budget", "3.5", "--period", "day"));

      Run usage = run("usage", "--server", server, "--key", key, "--group-by", "model");
      assertThat(usage.code()).as(usage.out()).isZero();
      assertThat(usage.out()).contains("MODEL").contains("3.5 USD left");

      assertThat(run("keys", "list", "--server", server, "--admin-key", "wrong").code())
          .isNotZero();
      assertThat(run("keys", "revoke", "--server", server, "--admin-key", "cli-admin", id).code())
          .isZero();
      assertThat(run("usage", "--server", server, "--key", key).code()).isNotZero();
    }
  }

  private static String[] with(String[] options, String... command) {
    var all = new java.util.ArrayList<>(java.util.List.of(command));
    all.addAll(java.util.List.of(options));
    return all.toArray(String[]::new);
  }
}
