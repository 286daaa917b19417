package dev.polyrun.loadtest.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code loadtest} command and its subcommands. */
@Command(
    name = "loadtest",
    mixinStandardHelpOptions = true,
    description =
        "Load, limit, soak and failure tests of a polyrun cluster through its public API, with JSON and HTML"
            + " reports; the synthetic probe.",
    subcommands = {
      LatencyCommand.class,
      ThroughputCommand.class,
      OpenCommand.class,
      LimitCommand.class,
      SoakCommand.class,
      FailoverCommand.class,
      SubmitCommand.class,
      StreamsCommand.class,
      CompareCommand.class,
      ProbeCommand.class
    })
public final class Commands implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /**
   * The command line with polyrun's exit codes: 2 for usage errors and bad values, 3 for a failure
   * of the harness.
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Commands());
    cl.setExitCodeExceptionMapper(e -> e instanceof IllegalArgumentException ? 2 : 3);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof IllegalArgumentException) {
            commandLine.getErr().println("loadtest: " + e.getMessage());
            return 2;
          }
          commandLine.getErr().println("loadtest: " + e);
          if (System.getenv("POLYRUN_DEBUG") != null) {
            e.printStackTrace(commandLine.getErr());
          }
          return 3;
        });
    return cl;
  }
}
