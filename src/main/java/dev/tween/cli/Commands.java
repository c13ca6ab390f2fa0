package dev.tween.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The face of {@code cli}: every subcommand of {@code tween}, in the order help lists them. */
public final class Commands {
  private Commands() {}

  /**
   * Adds the subcommands to {@code root} (the benches have a main of their own: ./tween bench),
   * gives every command a {@code --help}, and makes failures one line (see {@link Failures}).
   */
  public static CommandLine addTo(CommandLine root) {
    root.addSubcommand(new ServeCommand())
        .addSubcommand(new GenerateCommand())
        .addSubcommand(new FrameCommand())
        .addSubcommand(new ClientCommands.Submit())
        .addSubcommand(new ClientCommands.Status())
        .addSubcommand(new ClientCommands.Wait())
        .addSubcommand(new ClientCommands.Download())
        .addSubcommand(new KeysCommands.Keys())
        .addSubcommand(new KeysCommands.Usage())
        .addSubcommand(new ClientCommands.Models())
        .addSubcommand(new AotTraining());
    return withHelpAndFailures(root);
  }

  /**
   * {@code tween serve …} without building picocli's command tree, for a faster server start: serve
   * reads every flag itself (each is a setting), and picocli's own classes, which the start-up
   * cache cannot hold (they predate Java 6's class format), cost ~0.3 s to load and verify. Answers
   * as the same command through picocli would: {@code -h}/{@code --help} lists the settings, a
   * failure is one line, {@code --debug} adds its stack trace.
   */
  public static int serve(String[] args) {
    var flags = new java.util.ArrayList<>(java.util.List.of(args));
    boolean debug = flags.remove(Failures.DEBUG);
    var cmd = new ServeCommand();
    cmd.help = flags.remove("-h") | flags.remove("--help");
    cmd.flags = flags;
    try {
      return cmd.call();
    } catch (Exception e) {
      System.err.println("tween: " + Failures.message(e));
      if (debug) e.printStackTrace();
      return CliException.FAILED;
    }
  }

  /** {@code --help} on {@code cmd} and each subcommand that lacks one, and the failure handlers. */
  static CommandLine withHelpAndFailures(CommandLine cmd) {
    addHelp(cmd);
    return Failures.install(cmd);
  }

  private static void addHelp(CommandLine cmd) {
    CommandSpec spec = cmd.getCommandSpec();
    if (spec.findOption("--help") == null) {
      spec.addOption(
          OptionSpec.builder("-h", "--help")
              .usageHelp(true)
              .description("Show this help message and exit.")
              .build());
    }
    cmd.getSubcommands().values().forEach(Commands::addHelp);
  }
}
