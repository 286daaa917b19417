package dev.polyrun.loadtest.cli;

import dev.polyrun.loadtest.ClusterDescription;
import dev.polyrun.loadtest.Profile;
import dev.polyrun.loadtest.Program;
import dev.polyrun.loadtest.RunReport;
import dev.polyrun.loadtest.internal.Aggregate;
import dev.polyrun.loadtest.internal.ClientPool;
import dev.polyrun.loadtest.internal.CpuMeter;
import dev.polyrun.loadtest.internal.OpenLoop;
import dev.polyrun.loadtest.internal.Outcome;
import dev.polyrun.loadtest.internal.Recorder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Open loop at a fixed arrival rate with a program mix; latency from the intended send time. */
@Command(
    name = "open",
    mixinStandardHelpOptions = true,
    description =
        "Open loop at a fixed arrival rate (latency from the intended send time: no coordinated"
            + " omission) with a language mix from a profile file.")
final class OpenCommand extends ScenarioCommand {
  @Mixin ProgramOptions programs;
  @Mixin OpenLoopOptions loop;

  @Option(
      names = {"-d", "--duration"},
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "How long arrivals are sent (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--max-error-rate",
      defaultValue = "0",
      description = "Largest share of failed runs that still passes (default: ${DEFAULT-VALUE}).")
  double maxErrorRate;

  @Override
  void run(RunReport.Builder report) throws Exception {
    Profile profile = programs.profile(samples(), List.of("python"));
    Optional<ClusterDescription> cluster = cluster();
    Recorder recorder = new Recorder();
    long start;
    double seconds;
    Optional<Double> cpuMs;
    try (ClientPool pool = connection.pool(3)) {
      Optional<CpuMeter> cpu = cluster.map(CpuMeter::start);
      start = System.nanoTime();
      new OpenLoop(loop.rate, duration, loop.maxInFlight, loop.drain)
          .run(profile, pool, recorder, reportOptions.seed);
      seconds = (System.nanoTime() - start) / 1e9;
      cpuMs = cpu.flatMap(CpuMeter::elapsedMs);
    }
    List<Outcome> all = recorder.all();
    record(report, profile, all, start, duration.toMillis() / 1000.0);
    long ok = all.stream().filter(Outcome::ok).count();
    if (profile.programs().size() == 1 && cpuMs.isPresent() && ok > 0) {
      report.programs.set(
          0,
          Aggregate.withCpu(
              report.programs.get(0), cpuMs.get() / ok, "worker processes' CPU (/proc) per job"));
    }
    Double mixCpu = cpuMs.isPresent() && ok > 0 ? cpuMs.get() / ok : null;
    if (mixCpu != null) {
      report.metric("worker cpu per job", mixCpu, "ms", "lower");
    }
    Integer workers = workers();
    cost(report, workers == null ? null : ok / seconds / workers, mixCpu);
    double errorRate =
        all.isEmpty() ? 0 : (double) all.stream().filter(o -> !o.ok()).count() / all.size();
    if (errorRate > maxErrorRate) {
      report.failures.add(
          String.format(
              java.util.Locale.ROOT,
              "error rate %.4f above %.4f: %s",
              errorRate,
              maxErrorRate,
              report.errors));
    }
  }

  /** Per-program and overall figures of an open-loop run of {@code sendSeconds}. */
  static void record(
      RunReport.Builder report,
      Profile profile,
      List<Outcome> all,
      long start,
      double sendSeconds) {
    for (Program p : profile.programs()) {
      List<Outcome> mine = all.stream().filter(o -> o.program().equals(p.name())).toList();
      report.programs.add(Aggregate.program(p.name(), p.language(), mine, sendSeconds));
    }
    report.series = Aggregate.series(all, start);
    errors(report, all);
    long ok = all.stream().filter(Outcome::ok).count();
    report.metric("offered", all.size() / sendSeconds, "per second", "none");
    report.metric("completed ok", ok / sendSeconds, "per second", "higher");
    report.metric("p50", Aggregate.latency(all).p50(), "ms", "lower");
    report.metric("p90", Aggregate.latency(all).p90(), "ms", "lower");
    report.metric("p99", Aggregate.latency(all).p99(), "ms", "lower");
    report.metric("max", Aggregate.latency(all).max(), "ms", "lower");
    report.metric("errors", all.size() - ok, "runs", "lower");
  }
}
