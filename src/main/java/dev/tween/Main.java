package dev.tween;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the jar: one picocli command with a subcommand per feature. */
@Command(
    name = "tween",
    mixinStandardHelpOptions = true,
    version = "tween 0.1.0",
    description = "First+last-frame to video: server, engine and client.",
    subcommands = {
      CommandLine.HelpCommand.class,
      dev.tween.cli.ServeCommand.class,
      dev.tween.cli.GenerateCommand.class,
      dev.tween.cli.FrameCommand.class,
      dev.tween.cli.ClientCommands.Submit.class,
      dev.tween.cli.ClientCommands.Status.class,
      dev.tween.cli.ClientCommands.Wait.class,
      dev.tween.cli.ClientCommands.Download.class,
      dev.tween.cli.KeysCommands.Keys.class,
      dev.tween.cli.KeysCommands.Usage.class,
      dev.tween.cli.ClientCommands.Models.class
    })
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main());
  }

  @Override
  public void run() {
    commandLine().usage(System.out);
  }
}
