package dev.polyrun.loadtest.cli;

import dev.polyrun.loadtest.ClusterDescription;
import dev.polyrun.loadtest.Profile;
import dev.polyrun.loadtest.RunReport;
import dev.polyrun.loadtest.internal.ClientPool;
import dev.polyrun.loadtest.internal.ClusterSampler;
import dev.polyrun.loadtest.internal.OpenLoop;
import dev.polyrun.loadtest.internal.Outcome;
import dev.polyrun.loadtest.internal.Recorder;
import dev.polyrun.loadtest.internal.SamplingLoop;
import dev.polyrun.loadtest.internal.Slopes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A steady mix for a long time while the cluster's processes and host are sampled; fails when any
 * figure grows faster than its allowed slope after the warm-up.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description =
        "Steady open-loop mix for a given time, sampling every process's RSS, threads and descriptors,"
            + " runc containers, cgroups, mounts and work directories left, Redis memory and keys; fails when any grows"
            + " faster than its slope per minute after warm-up.")
final class SoakCommand extends ScenarioCommand {
  @Mixin ProgramOptions programs;
  @Mixin OpenLoopOptions loop;

  @Option(
      names = {"-d", "--duration"},
      defaultValue = "10m",
      converter = DurationConverter.class,
      description = "How long the load runs (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--warmup",
      defaultValue = "2m",
      converter = DurationConverter.class,
      description = "Samples before this are not used for slopes (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(
      names = "--sample-every",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "Sampling interval (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(
      names = "--max-slope",
      paramLabel = "PATTERN=PER_MINUTE",
      description =
          "Largest growth per minute of figures matching PATTERN (* matches anything), e.g. '*.fds=0.5';"
              + " before the defaults "
              + "*.rss_mb=4, *.threads=0.5, *.fds=1, host.*=0.2, redis.used_memory_mb=1,"
              + " redis.keys=60, redis.clients=0.5 (repeatable).")
  List<String> maxSlopes = new ArrayList<>();

  @Option(
      names = "--floor-window",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "Slopes are fitted to each window's lowest sample (work in flight lifts a figure for a moment,"
              + " a leak lifts its floor); 0s fits the raw samples (default: ${DEFAULT-VALUE}).")
  Duration floorWindow;

  @Option(
      names = "--max-error-rate",
      defaultValue = "0.01",
      description = "Largest share of failed runs that still passes (default: ${DEFAULT-VALUE}).")
  double maxErrorRate;

  @Override
  void run(RunReport.Builder report) throws Exception {
    if (warmup.compareTo(duration) >= 0) {
      throw new IllegalArgumentException(
          "--warmup " + warmup + " (expected: shorter than --duration " + duration + ")");
    }
    Slopes slopes = new Slopes(maxSlopes);
    ClusterDescription cluster = connection.requireCluster("soak");
    Profile profile = programs.profile(samples(), List.of("python"));
    Recorder recorder = new Recorder();
    long start = System.nanoTime();
    List<RunReport.ResourceSample> samples;
    try (ClientPool pool = connection.pool(3);
        SamplingLoop sampling =
            new SamplingLoop(new ClusterSampler(cluster::reload), interval, start)) {
      new OpenLoop(loop.rate, duration, loop.maxInFlight, loop.drain)
          .run(profile, pool, recorder, reportOptions.seed);
      samples = sampling.samples();
    }
    List<Outcome> all = recorder.all();
    OpenCommand.record(report, profile, all, start, duration.toMillis() / 1000.0);
    report.samples = samples;
    report.slopes =
        slopes.check(samples, warmup.toMillis() / 1000.0, floorWindow.toMillis() / 1000.0);
    for (RunReport.SlopeResult s : report.slopes) {
      if (!s.ok()) {
        report.failures.add(
            String.format(
                Locale.ROOT,
                "%s grows %.3f per minute after warm-up (expected: <= %s;" + " %.2f -> %.2f)",
                s.metric(),
                s.slopePerMinute(),
                s.threshold(),
                s.first(),
                s.last()));
      }
    }
    if (report.slopes.isEmpty()) {
      report.failures.add(
          "fewer than three samples after the warm-up: nothing to judge (expected: --duration"
              + " well past --warmup, several --sample-every)");
    }
    double errorRate =
        all.isEmpty() ? 0 : (double) all.stream().filter(o -> !o.ok()).count() / all.size();
    if (errorRate > maxErrorRate) {
      report.failures.add(
          String.format(
              Locale.ROOT,
              "error rate %.4f above %.4f: %s",
              errorRate,
              maxErrorRate,
              report.errors));
    }
    report.notes.add(
        "Redis keys and memory grow with the job retention (POLYRUN_QUEUE_JOB_TTL): soak with a"
            + " retention shorter than the warm-up, or allow their growth with --max-slope");
  }
}
