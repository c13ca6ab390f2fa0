package dev.tween;

import dev.tween.cli.Commands;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the jar: one picocli command with a subcommand per feature. */
@Command(
    name = "tween",
    mixinStandardHelpOptions = true,
    version = "tween 0.1.0",
    description = "First+last-frame to video: server, engine and client.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return Commands.addTo(new CommandLine(new Main()));
  }

  @Override
  public void run() {
    commandLine().usage(System.out);
  }
}
