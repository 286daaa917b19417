package dev.polyrun.loadtest;

import dev.polyrun.loadtest.cli.Commands;
import picocli.CommandLine;

/**
 * Entry point of {@code bin/loadtest}: the load, limit, soak and failure scenarios, the report
 * comparison and the synthetic probe. Exit codes: 0 passed, 1 a check of the run failed (or a
 * compared figure regressed, or a canary failed), 2 usage error, 3 the harness itself failed.
 */
public final class LoadtestCli {
  private LoadtestCli() {}

  public static void main(String[] args) {
    System.exit(Commands.commandLine().execute(args));
  }

  /** Runs the command line and returns its exit code (for tests). */
  public static int run(String... args) {
    return Commands.commandLine().execute(args);
  }

  /** The picocli command line (for tests that want its output). */
  public static CommandLine commandLine() {
    return Commands.commandLine();
  }
}
