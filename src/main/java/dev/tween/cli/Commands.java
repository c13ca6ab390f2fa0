package dev.tween.cli;

import picocli.CommandLine;

/** The face of {@code cli}: every subcommand of {@code tween}, in the order help lists them. */
public final class Commands {
  private Commands() {}

  /** Adds the subcommands to {@code root} (the benches have a main of their own: ./tween bench). */
  public static CommandLine addTo(CommandLine root) {
    return root.addSubcommand(new ServeCommand())
        .addSubcommand(new GenerateCommand())
        .addSubcommand(new FrameCommand())
        .addSubcommand(new ClientCommands.Submit())
        .addSubcommand(new ClientCommands.Status())
        .addSubcommand(new ClientCommands.Wait())
        .addSubcommand(new ClientCommands.Download())
        .addSubcommand(new KeysCommands.Keys())
        .addSubcommand(new KeysCommands.Usage())
        .addSubcommand(new ClientCommands.Models());
  }
}
