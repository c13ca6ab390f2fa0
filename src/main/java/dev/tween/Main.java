package dev.tween;

import dev.tween.cli.Commands;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Entry point of the jar: one picocli command with a subcommand per feature. */
@Command(
    name = "tween",
    mixinStandardHelpOptions = true,
    version = "tween 0.1.0",
    description = "First+last-frame to video: server, engine and client.",
    footer = {
      "",
      "Exit codes: 0 success, 1 failure (one line `tween: …` on stderr says why), 2 usage error."
    },
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "On failure, print the stack trace after the one-line reason.")
  boolean debug;

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("serve"))
      System.exit(Commands.serve(Arrays.copyOfRange(args, 1, args.length)));
    System.exit(commandLine().execute(args));
  }

  /** The whole command line, with the failure handling every command shares. */
  public static CommandLine commandLine() {
    return Commands.addTo(new CommandLine(new Main()));
  }

  @Override
  public void run() {
    commandLine().usage(System.out);
  }
}
