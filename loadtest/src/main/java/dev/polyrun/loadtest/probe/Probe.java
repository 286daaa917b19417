package dev.polyrun.loadtest.probe;

import dev.polyrun.loadtest.Program;
import dev.polyrun.loadtest.internal.Caller;
import dev.polyrun.loadtest.internal.Outcome;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The synthetic probe: runs each canary program through the public API, checks its exact output
 * and verdict, and records success and latency per canary. A canary that fails (wrong output or
 * verdict, refused, unreachable, too slow) counts as a failure, never as an error of the probe.
 */
public final class Probe {
  /** One canary's run. */
  public record Run(String canary, boolean ok, double latencyMs, String detail) {}

  private final List<Program> canaries;
  private final Caller caller;
  private final ProbeMetrics metrics;
  private final PrintStream log;

  public Probe(List<Program> canaries, Caller caller, ProbeMetrics metrics, PrintStream log) {
    if (canaries.isEmpty()) {
      throw new IllegalArgumentException("probe: no canary (expected: at least one)");
    }
    this.canaries = List.copyOf(canaries);
    this.caller = caller;
    this.metrics = metrics;
    this.log = log;
  }

  /** Runs every canary once, one after the other. */
  public List<Run> runOnce() {
    List<Run> runs = new ArrayList<>();
    for (Program canary : canaries) {
      Outcome o = caller.call(canary, System.nanoTime());
      Run run = new Run(canary.name(), o.ok(), o.latencyMs(), o.ok() ? o.verdict() : o.error() + ": " + o.errorDetail());
      metrics.record(run.canary(), run.ok(), o.ok() ? o.latencyMs() / 1000.0 : Double.NaN);
      log.printf(Locale.ROOT, "probe: %-22s %s %7.0f ms  %s%n", run.canary(), run.ok() ? "ok    " : "FAILED",
          run.latencyMs(), run.detail());
      runs.add(run);
    }
    return runs;
  }
}
