package dev.polyrun.loadtest.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where reports go and what the cost table assumes. */
public final class ReportOptions {
  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Directory of the JSON and HTML reports (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:polyrun.root:-.}/.polyrun/loadtest")
  Path out;

  @Option(
      names = "--prices",
      paramLabel = "FILE",
      description = "Instance types and hourly prices, CSV (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:polyrun.root:-.}/loadtest/instance-prices.csv")
  Path prices;

  @Option(
      names = "--utilization",
      paramLabel = "U",
      defaultValue = "0.7",
      description =
          "Share of a worker's CPU planned busy, for the cost table (default: ${DEFAULT-VALUE}).")
  double utilization;

  @Option(
      names = "--plan-rate",
      paramLabel = "PER_SECOND",
      defaultValue = "100",
      description = "Arrival rate the cost table counts workers for (default: ${DEFAULT-VALUE}).")
  double planRate;

  @Option(
      names = "--images",
      paramLabel = "DIR",
      description = "Built language images, for the bare baselines (default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:POLYRUN_IMAGE_DIR:-/var/lib/polyrun/images}")
  Path images;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the program mix (default: ${DEFAULT-VALUE}).")
  long seed;
}
