package dev.tween.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tween.Main;
import dev.tween.generate.GenerationException;
import dev.tween.generate.GenerationJob;
import dev.tween.generate.GenerationResult;
import dev.tween.generate.Generator;
import dev.tween.testing.FakeGenerator;
import dev.tween.testing.Images;
import dev.tween.testing.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What a person sees when a command fails: one line {@code tween: …} on stderr naming the cause,
 * exit code 2 for a usage error and 1 for anything else, the stack trace only with --debug; and
 * {@code --help} on every command.
 */
class CliFailuresTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  static Run run(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    PrintStream o = System.out;
    PrintStream e = System.err;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.commandLine().execute(args);
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(o);
      System.setErr(e);
    }
  }

  private static void assertOneLine(Run r, int code, String line) {
    assertThat(r.code()).as(r.err()).isEqualTo(code);
    assertThat(r.errLines()).as(r.err()).containsExactly(line);
  }

  @Test
  void anUnreachableServerNamesTheUrlAndWhereToSetIt() throws Exception {
    int port;
    try (var s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free once closed: nothing listens there
    }
    String url = "http://127.0.0.1:" + port;
    Run r = run("status", "some-task", "--server", url, "--key", "k");
    assertOneLine(
        r,
        1,
        "tween: cannot reach "
            + url
            + " (connection refused); is the server running? (--server, $TWEEN_SERVER)");

    Run debug = run("status", "some-task", "--server", url, "--key", "k", "--debug");
    assertThat(debug.code()).isEqualTo(1);
    assertThat(debug.errLines().getFirst()).startsWith("tween: cannot reach " + url);
    assertThat(debug.err()).contains("\tat ").contains("Caused by: java.net.ConnectException");
  }

  @Test
  void theServersRefusalsAreItsStatusAndMessage() throws Exception {
    try (TestNode node =
        TestNode.start(dir, Optional.of(FakeGenerator.instant()), Map.of("workers", "0"))) {
      String server = node.url("");
      assertOneLine(
          run("models", "--server", server, "--key", "wrong-key"),
          1,
          "tween: 401 unknown API key (--key, $TWEEN_KEY, ./data/api-key)");
      assertOneLine(
          run("keys", "list", "--server", server, "--admin-key", "nope"),
          1,
          "tween: 404 no route GET /v1/admin/keys (the admin routes are off: set"
              + " TWEEN_ADMIN_KEY / --admin-key)");
      assertOneLine(
          run("status", "no-such-task", "--server", server, "--key", TestNode.KEY),
          1,
          "tween: 404 no task no-such-task");

      Path first = dir.resolve("first.png");
      Path last = dir.resolve("last.png");
      Files.write(first, Images.png(64, 36, 0));
      Files.write(last, Images.png(64, 36, 8));
      String[] submit = {
        "submit",
        "--server",
        server,
        "--key",
        TestNode.KEY,
        "--prompt",
        "p",
        "--last",
        last.toString()
      };
      assertOneLine(
          run(concat(submit, "--first", first.toString(), "--duration", "5")),
          1,
          "tween: duration: must be one of 4, 6, 8 (seconds), got 5");
      assertOneLine(
          run(concat(submit, "--first", dir.resolve("nope.png").toString())),
          1,
          "tween: " + dir.resolve("nope.png") + ": no such file");
      assertOneLine(
          run(concat(submit, "--first", first.toString(), "--model", "veo")),
          2,
          "tween: --model veo: this server serves local");
    }
  }

  @Test
  void aFailedTaskIsOneLineWithItsReason() throws Exception {
    Generator failing =
        new Generator() {
          @Override
          public String name() {
            return "fake";
          }

          @Override
          public GenerationResult generate(GenerationJob job) throws GenerationException {
            throw GenerationException.permanent("the frames show two different scenes");
          }
        };
    try (TestNode node = TestNode.start(dir, failing)) {
      String id =
          node.submit(dev.tween.testing.Bodies.simple(1)); // fails on the worker, not at submit
      Run r =
          run("wait", id, "--server", node.url(""), "--key", TestNode.KEY, "--out", dir.toString());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.errLines().getLast())
          .isEqualTo("tween: task " + id + " failed: the frames show two different scenes");
      assertThat(r.errLines()).noneMatch(l -> l.startsWith("\tat "));
    }
  }

  @Test
  void usageErrorsExitWith2InOneLine() {
    assertOneLine(
        run("submit", "--first", "a.png"),
        2,
        "tween: missing required options: '--last=<last>', '--prompt=<prompt>'"
            + " (see ./tween submit --help)");
    Run typo = run("stats");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.errLines()).hasSize(1);
    assertThat(typo.err()).contains("'stats'").contains("did you mean status");
    assertOneLine(
        run(
            "generate",
            "--first",
            "a.png",
            "--last",
            "b.png",
            "--prompt",
            "p",
            "--duration",
            "5",
            "--out",
            "x.mp4"),
        2,
        "tween: --duration: must be 4, 6 or 8, got 5");
    assertOneLine(
        run("keys", "update", "key_x", "--admin-key", "a"),
        2,
        "tween: nothing to change: give --budget, --no-budget, --rate-limit or"
            + " --default-rate-limit");
  }

  @Test
  void everyCommandAndSubcommandAnswersHelp() {
    List<List<String>> paths = new ArrayList<>();
    collect(Main.commandLine(), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(12);
    for (List<String> path : paths) {
      String[] args = concat(path.toArray(String[]::new), "--help");
      Run r = run(args);
      assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isZero();
      assertThat(r.out()).as(String.join(" ", args)).startsWith("Usage: tween");
      assertThat(r.err()).isEmpty();
    }
  }

  private static void collect(CommandLine cmd, List<String> prefix, List<List<String>> into) {
    for (var e : cmd.getSubcommands().entrySet()) {
      if (e.getKey().equals("help")) continue;
      var path = new ArrayList<>(prefix);
      path.add(e.getKey());
      into.add(path);
      collect(e.getValue(), path, into);
    }
  }

  private static String[] concat(String[] a, String... b) {
    var all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }
}
