package dev.tween.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./tween bench <what>}: measurements written to bench/results/. Benches live in their own
 * source set (src/bench/java), compiled with the tests and left out of tween.jar.
 */
@Command(
    name = "bench",
    description = "Benchmarks; results go to bench/results/.",
    subcommands = {
      QualityBench.class,
      SpeedBench.class,
      ApiBench.class,
      UploadBench.class,
      ScaleBench.class,
      OutageBench.class,
      GatewayBench.class,
      CommandLine.HelpCommand.class
    })
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
