package dev.polyrun.loadtest.cli;

import dev.polyrun.loadtest.Latency;
import dev.polyrun.loadtest.Profile;
import dev.polyrun.loadtest.RunReport;
import dev.polyrun.loadtest.internal.Aggregate;
import dev.polyrun.loadtest.internal.ClientPool;
import dev.polyrun.loadtest.internal.OpenLoop;
import dev.polyrun.loadtest.internal.Outcome;
import dev.polyrun.loadtest.internal.Recorder;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Ramps an open loop's rate step by step until p99 passes the target, errors appear or the service
 * falls behind; the knee is the last rate that held.
 */
@Command(
    name = "limit",
    mixinStandardHelpOptions = true,
    description =
        "Ramps the arrival rate step by step until p99 passes a target or errors appear; reports the knee.")
final class LimitCommand extends ScenarioCommand {
  @Mixin ProgramOptions programs;

  @Option(
      names = "--start-rate",
      defaultValue = "1",
      description = "First step's arrivals per second (default: ${DEFAULT-VALUE}).")
  double startRate;

  @Option(
      names = "--step",
      defaultValue = "1",
      description = "Added to the rate after each step that held (default: ${DEFAULT-VALUE}).")
  double step;

  @Option(
      names = "--factor",
      defaultValue = "1",
      description =
          "Multiplies the rate after each step that held, before --step (default: ${DEFAULT-VALUE}).")
  double factor;

  @Option(
      names = "--max-rate",
      defaultValue = "1000",
      description = "Stop at this rate (default: ${DEFAULT-VALUE}).")
  double maxRate;

  @Option(
      names = "--step-duration",
      defaultValue = "20s",
      converter = DurationConverter.class,
      description = "How long each step sends (default: ${DEFAULT-VALUE}).")
  Duration stepDuration;

  @Option(
      names = "--p99-target",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "A step holds while its p99 stays within this (default: ${DEFAULT-VALUE}).")
  Duration p99Target;

  @Option(
      names = "--max-errors",
      defaultValue = "0",
      description = "Failed runs a step may have and still hold (default: ${DEFAULT-VALUE}).")
  long maxErrors;

  @Option(
      names = "--max-in-flight",
      defaultValue = "2000",
      description = "Calls outstanding at most (default: ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Override
  void run(RunReport.Builder report) throws Exception {
    if (!(step >= 0 && factor >= 1 && (step > 0 || factor > 1))) {
      throw new IllegalArgumentException(
          "--step "
              + step
              + " --factor "
              + factor
              + " (expected: a step > 0 or a factor > 1, so that the rate grows)");
    }
    Profile profile = programs.profile(samples(), List.of("python"));
    double knee = Double.NaN;
    Latency kneeLatency = Latency.EMPTY;
    try (ClientPool pool = connection.pool(3)) {
      for (double rate = startRate; rate <= maxRate; rate = rate * factor + step) {
        Recorder recorder = new Recorder();
        long start = System.nanoTime();
        new OpenLoop(rate, stepDuration, maxInFlight, stepDuration.multipliedBy(3).plusSeconds(30))
            .run(profile, pool, recorder, reportOptions.seed + (long) rate);
        List<Outcome> all = recorder.all();
        Latency latency = Aggregate.latency(all);
        long errors = all.stream().filter(o -> !o.ok()).count();
        double seconds = stepDuration.toMillis() / 1000.0;
        double completed = (all.size() - errors) / seconds;
        // A service that falls behind shows it in p99 (latency counts from the intended send time).
        boolean ok =
            errors <= maxErrors && latency.count() > 0 && latency.p99() <= p99Target.toMillis();
        report.steps.add(new RunReport.StepResult(rate, completed, latency, errors, ok));
        errors(report, all);
        System.err.printf(
            Locale.ROOT,
            "limit: %.2f/s offered, %.2f/s completed, p50 %.0f ms, p99 %.0f ms, %d errors: %s%n",
            rate,
            completed,
            latency.p50(),
            latency.p99(),
            errors,
            ok ? "holds" : "past the limit");
        if (!ok) {
          break;
        }
        knee = rate;
        kneeLatency = latency;
        report.series = Aggregate.series(all, start);
      }
    }
    report.metric("knee", knee, "per second", "higher");
    report.metric("p50 at knee", kneeLatency.p50(), "ms", "lower");
    report.metric("p99 at knee", kneeLatency.p99(), "ms", "lower");
    if (Double.isNaN(knee)) {
      report.notes.add("even the first step (" + startRate + "/s) did not hold");
    } else if (report.steps.get(report.steps.size() - 1).ok()) {
      report.notes.add("every step held up to --max-rate " + maxRate + "/s: the knee is above it");
    }
    report.notes.add("the series shows the last step that held");
  }
}
