package dev.polyrun.loadtest.cli;

import dev.polyrun.client.PolyrunClient;
import dev.polyrun.loadtest.ClusterDescription;
import dev.polyrun.loadtest.Latency;
import dev.polyrun.loadtest.Profile;
import dev.polyrun.loadtest.Program;
import dev.polyrun.loadtest.RunReport;
import dev.polyrun.loadtest.internal.Aggregate;
import dev.polyrun.loadtest.internal.Baselines;
import dev.polyrun.loadtest.internal.Caller;
import dev.polyrun.loadtest.internal.CpuMeter;
import dev.polyrun.loadtest.internal.ImageLanguage;
import dev.polyrun.loadtest.internal.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Sequential latency of each program through Execute, with its bare baselines measured beside it in
 * the same run, their ratio and difference, and the phase breakdown.
 */
@Command(
    name = "latency",
    mixinStandardHelpOptions = true,
    description =
        "Sequential Execute latency of each program beside the same program run bare (host process,"
            + " and chrooted into its image without isolation); p50/p90/p99/max, ratio, difference, phases.")
final class LatencyCommand extends ScenarioCommand {
  @Mixin ProgramOptions programs;

  @Option(
      names = "--runs",
      defaultValue = "50",
      description = "Timed runs per program (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--warmup-runs",
      defaultValue = "3",
      description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
  int warmupRuns;

  @Option(names = "--bare-runs", description = "Timed bare runs per baseline (default: --runs).")
  Integer bareRuns;

  @Option(
      names = "--bare-compile-runs",
      defaultValue = "5",
      description =
          "Timed bare compile+run pairs of a compiled language (default: ${DEFAULT-VALUE}).")
  int bareCompileRuns;

  @Override
  void run(RunReport.Builder report) throws Exception {
    Profile profile = programs.profile(samples(), List.of("python", "c"));
    Optional<ClusterDescription> cluster = cluster();
    Baselines baselines = new Baselines();
    List<Outcome> all = new ArrayList<>();
    long start = System.nanoTime();
    try (PolyrunClient client = connection.client(3)) {
      Caller caller = new Caller(client);
      for (Program program : profile.programs()) {
        for (int i = 0; i < warmupRuns; i++) {
          caller.call(program, System.nanoTime());
        }
        Optional<CpuMeter> cpu = cluster.map(CpuMeter::start);
        List<Outcome> outcomes = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
          outcomes.add(caller.call(program, System.nanoTime()));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        all.addAll(outcomes);
        RunReport.ProgramStats stats =
            Aggregate.program(program.name(), program.language(), outcomes, seconds);
        long ok = outcomes.stream().filter(Outcome::ok).count();
        Double measured =
            cpu.flatMap(CpuMeter::elapsedMs).filter(ms -> ok > 0).map(ms -> ms / ok).orElse(null);
        stats = Aggregate.withCpu(stats, measured, "worker processes' CPU (/proc) per job");
        Map<String, Latency> bare =
            baselines.latency(
                program,
                ImageLanguage.find(reportOptions.images, program.language()),
                bareRuns == null ? runs : bareRuns,
                bareCompileRuns);
        stats = Aggregate.withBaselines(stats, bare);
        report.programs.add(stats);
        errors(report, outcomes);
        summarize(report, stats);
      }
    }
    report.series = Aggregate.series(all, start);
    report.notes.addAll(baselines.notes());
    if (report.programs.stream().allMatch(p -> !p.phases().containsKey("queued"))) {
      report.notes.add(
          "the results carry no timeline: phases are the client's event arrival times only");
    }
    cost(report, null);
    long errors = report.errors.values().stream().mapToLong(Long::longValue).sum();
    if (errors > 0) {
      report.failures.add(
          errors + " runs did not give their program's expected result: " + report.errors);
    }
  }

  private static void summarize(RunReport.Builder report, RunReport.ProgramStats p) {
    report.metric(p.name() + " p50", p.latency().p50(), "ms", "lower");
    report.metric(p.name() + " p99", p.latency().p99(), "ms", "lower");
    if (p.ratio() != null) {
      report.metric(p.name() + " ratio to " + p.baseline(), p.ratio(), "x", "lower");
      report.metric(p.name() + " difference to " + p.baseline(), p.differenceMs(), "ms", "lower");
    }
  }
}
