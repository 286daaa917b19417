package dev.polyrun.loadtest.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** Options of an open loop: the arrival rate, how long, and the harness's own safety limits. */
public final class OpenLoopOptions {
  @Option(
      names = {"-r", "--rate"},
      defaultValue = "5",
      description = "Arrivals per second (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--max-in-flight",
      defaultValue = "2000",
      description =
          "Calls outstanding at most; beyond, an arrival is recorded as CLIENT_OVERLOAD (default: ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Option(
      names = "--drain",
      defaultValue = "120s",
      converter = DurationConverter.class,
      description = "How long calls still running at the end may take (default: ${DEFAULT-VALUE}).")
  Duration drain;
}
