package dev.tween.cli;

import picocli.CommandLine;

/** The face of {@code cli}: every subcommand of {@code tween}, in the order help lists them. */
public final class Commands {
  private Commands() {}

  /** Adds the subcommands to {@code root}; {@code bench} goes after the engine commands. */
  public static CommandLine addTo(CommandLine root, Object bench) {
    return root.addSubcommand(new ServeCommand())
        .addSubcommand(new GenerateCommand())
        .addSubcommand(new FrameCommand())
        .addSubcommand(bench)
        .addSubcommand(new ClientCommands.Submit())
        .addSubcommand(new ClientCommands.Status())
        .addSubcommand(new ClientCommands.Wait())
        .addSubcommand(new ClientCommands.Download())
        .addSubcommand(new KeysCommands.Keys())
        .addSubcommand(new KeysCommands.Usage())
        .addSubcommand(new ClientCommands.Models());
  }
}
