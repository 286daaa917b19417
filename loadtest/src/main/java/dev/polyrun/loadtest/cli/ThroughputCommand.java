package dev.polyrun.loadtest.cli;

import dev.polyrun.loadtest.ClusterDescription;
import dev.polyrun.loadtest.Profile;
import dev.polyrun.loadtest.Program;
import dev.polyrun.loadtest.RunReport;
import dev.polyrun.loadtest.internal.Aggregate;
import dev.polyrun.loadtest.internal.BareRun;
import dev.polyrun.loadtest.internal.Baselines;
import dev.polyrun.loadtest.internal.ClientPool;
import dev.polyrun.loadtest.internal.ClosedLoop;
import dev.polyrun.loadtest.internal.CpuMeter;
import dev.polyrun.loadtest.internal.ImageLanguage;
import dev.polyrun.loadtest.internal.Outcome;
import dev.polyrun.loadtest.internal.Recorder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Closed loop: C callers for D seconds; jobs per second and latency beside the bare ceiling. */
@Command(
    name = "throughput",
    mixinStandardHelpOptions = true,
    description =
        "Closed loop of C concurrent callers for D: jobs/s and latency, beside the bare ceiling of the"
            + " same program at the same concurrency, and their ratio.")
final class ThroughputCommand extends ScenarioCommand {
  @Mixin ProgramOptions programs;

  @Option(
      names = {"-c", "--concurrency"},
      defaultValue = "2",
      description = "Concurrent callers (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = {"-d", "--duration"},
      defaultValue = "20s",
      converter = DurationConverter.class,
      description = "How long the measured load runs (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--warmup",
      defaultValue = "3s",
      converter = DurationConverter.class,
      description = "Load before the measurement, not recorded (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--no-bare", description = "Skip the bare ceiling.")
  boolean noBare;

  @Override
  void run(RunReport.Builder report) throws Exception {
    Profile profile = programs.profile(samples(), List.of("python"));
    Optional<ClusterDescription> cluster = cluster();
    Recorder recorder = new Recorder();
    try (ClientPool pool = connection.pool(3)) {
      if (!warmup.isZero()) {
        ClosedLoop.run(concurrency, warmup, profile, pool, new Recorder(), reportOptions.seed);
      }
      Optional<CpuMeter> cpu = cluster.map(CpuMeter::start);
      long start = System.nanoTime();
      ClosedLoop.run(concurrency, duration, profile, pool, recorder, reportOptions.seed);
      double seconds = (System.nanoTime() - start) / 1e9;
      List<Outcome> all = recorder.all();
      long ok = all.stream().filter(Outcome::ok).count();
      Double cpuPerJob =
          cpu.flatMap(CpuMeter::elapsedMs).filter(ms -> ok > 0).map(ms -> ms / ok).orElse(null);
      for (Program p : profile.programs()) {
        List<Outcome> mine = all.stream().filter(o -> o.program().equals(p.name())).toList();
        RunReport.ProgramStats stats = Aggregate.program(p.name(), p.language(), mine, seconds);
        if (profile.programs().size() == 1) {
          stats = Aggregate.withCpu(stats, cpuPerJob, "worker processes' CPU (/proc) per job");
        }
        report.programs.add(stats);
      }
      report.series = Aggregate.series(all, start);
      errors(report, all);
      double rate = ok / seconds;
      report.metric("jobs/s", rate, "per second", "higher");
      report.metric("p50", Aggregate.latency(all).p50(), "ms", "lower");
      report.metric("p99", Aggregate.latency(all).p99(), "ms", "lower");
      if (!noBare) {
        bareCeiling(report, profile, rate);
      }
      Integer workers = workers();
      cost(report, workers == null ? null : rate / workers);
    }
    long errors = report.errors.values().stream().mapToLong(Long::longValue).sum();
    if (errors > 0) {
      report.failures.add(
          errors + " runs did not give their program's expected result: " + report.errors);
    }
  }

  private void bareCeiling(RunReport.Builder report, Profile profile, double rate)
      throws InterruptedException {
    if (profile.programs().size() != 1) {
      report.notes.add("no bare ceiling: it is measured for a single program, not a mix");
      return;
    }
    Program program = profile.programs().get(0);
    Optional<ImageLanguage> language = ImageLanguage.find(reportOptions.images, program.language());
    if (language.isEmpty()) {
      report.notes.add("no bare ceiling: no built image of " + program.language());
      return;
    }
    Baselines baselines = new Baselines();
    for (BareRun.Mode mode : BareRun.Mode.values()) {
      Optional<Double> ceiling =
          baselines.ceiling(mode, program, language.get(), concurrency, duration);
      if (ceiling.isPresent()) {
        report.metric("bare " + mode.label() + " jobs/s", ceiling.get(), "per second", "none");
        report.metric(
            "throughput ratio to bare " + mode.label(), rate / ceiling.get(), "x", "higher");
      }
    }
    report.notes.addAll(baselines.notes());
    if (language.get().compiled()) {
      report.notes.add(
          "the bare ceiling of a compiled language compiles and runs each job, as polyrun does");
    }
  }
}
