package dev.polyrun.loadtest.cli;

import dev.polyrun.loadtest.ClusterDescription;
import dev.polyrun.loadtest.Latency;
import dev.polyrun.loadtest.Profile;
import dev.polyrun.loadtest.RunReport;
import dev.polyrun.loadtest.internal.Aggregate;
import dev.polyrun.loadtest.internal.ClientPool;
import dev.polyrun.loadtest.internal.FaultInjector;
import dev.polyrun.loadtest.internal.OpenLoop;
import dev.polyrun.loadtest.internal.Outcome;
import dev.polyrun.loadtest.internal.Recorder;
import dev.polyrun.loadtest.internal.Verifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Failure drills under an open-loop load: faults injected one after another, then every accepted
 * job checked for exactly one final result; latency before and during each fault.
 */
@Command(
    name = "failover",
    mixinStandardHelpOptions = true,
    description =
        "While an open-loop load runs: kill -9 and restart a worker, SIGSTOP one past its lease then"
            + " SIGCONT, restart Redis, kill -9 the coordinator and restart it. Counts accepted jobs lost, jobs with more"
            + " than one final result, and the latency impact of each fault. Needs the cluster description.")
final class FailoverCommand extends ScenarioCommand {
  @Mixin ProgramOptions programs;
  @Mixin OpenLoopOptions loop;

  @Option(
      names = "--faults",
      split = ",",
      defaultValue = "kill-worker,pause-worker,restart-redis,kill-coordinator",
      description = "Faults in order (default: ${DEFAULT-VALUE}).")
  List<String> faults;

  @Option(
      names = "--quiet",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Load before the first fault (default: ${DEFAULT-VALUE}).")
  Duration quiet;

  @Option(
      names = "--fault-every",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "Time from one fault to the next, and after the last (default: ${DEFAULT-VALUE}).")
  Duration every;

  @Option(
      names = "--pause",
      converter = DurationConverter.class,
      description = "How long pause-worker stops a worker (default: the cluster's lease + 5s).")
  Duration pause;

  @Option(
      names = "--settle",
      defaultValue = "180s",
      converter = DurationConverter.class,
      description =
          "How long accepted jobs may take to become final after the load (default: ${DEFAULT-VALUE}).")
  Duration settle;

  @Override
  void run(RunReport.Builder report) throws Exception {
    ClusterDescription cluster = connection.requireCluster("failover");
    List<FaultInjector.Kind> kinds = faults.stream().map(FaultInjector.Kind::of).toList();
    Duration pauseFor =
        pause != null ? pause : cluster.lease().orElse(Duration.ofSeconds(30)).plusSeconds(5);
    Profile profile = programs.profile(samples(), List.of("python"));
    Duration duration = quiet.plus(every.multipliedBy(kinds.size()));
    Recorder recorder = new Recorder();
    List<FaultInjector.Injected> injected = new ArrayList<>();
    long start = System.nanoTime();
    try (ClientPool pool = connection.pool(8)) {
      AtomicReference<Exception> loadFailure = new AtomicReference<>();
      Thread load =
          Thread.ofPlatform()
              .name("failover-load")
              .start(
                  () -> {
                    try {
                      new OpenLoop(loop.rate, duration, loop.maxInFlight, loop.drain)
                          .run(profile, pool, recorder, reportOptions.seed);
                    } catch (Exception e) {
                      loadFailure.set(e);
                    }
                  });
      FaultInjector injector = new FaultInjector(cluster::reload);
      for (int i = 0; i < kinds.size(); i++) {
        sleepUntil(start + quiet.plus(every.multipliedBy(i)).toNanos());
        System.err.println("failover: " + kinds.get(i).label());
        injected.add(injector.inject(kinds.get(i), pauseFor));
      }
      load.join();
      if (loadFailure.get() != null) {
        throw loadFailure.get();
      }
    }
    List<Outcome> all = recorder.all();
    OpenCommand.record(report, profile, all, start, duration.toMillis() / 1000.0);
    for (FaultInjector.Injected f : injected) {
      report.faults.add(impact(f, all, start));
      if (f.recoveredNanos() < 0) {
        report.failures.add(
            f.kind().label()
                + " of "
                + f.target()
                + ": the process did not come back: "
                + f.detail());
      }
    }
    verify(report, all);
  }

  private void verify(RunReport.Builder report, List<Outcome> all) throws InterruptedException {
    Map<String, Integer> accepted = new HashMap<>();
    for (Outcome o : all) {
      if (o.accepted()) {
        accepted.put(o.jobId(), o.verdict() != null ? o.attempt() : 0);
      }
    }
    try (Verifier verifier =
        new Verifier(connection.target(), connection.apiKey().orElse(null), connection.tls)) {
      report.invariants = verifier.verify(accepted, settle);
    }
    RunReport.Invariants inv = report.invariants;
    report.metric("accepted jobs", inv.accepted(), "jobs", "none");
    report.metric("lost jobs", inv.lost(), "jobs", "lower");
    report.metric("jobs with more than one final result", inv.duplicateResults(), "jobs", "lower");
    report.metric("jobs re-run after a fault", inv.reruns(), "jobs", "none");
    if (inv.lost() > 0) {
      report.failures.add(
          inv.lost() + " accepted jobs lost (no final result): " + first(inv.lostIds()));
    }
    if (inv.duplicateResults() > 0) {
      report.failures.add(
          inv.duplicateResults()
              + " jobs with more than one final result: "
              + first(inv.duplicateIds()));
    }
    if (inv.accepted() == 0) {
      report.failures.add("no job was accepted: nothing was verified");
    }
  }

  /**
   * Latency of requests meant to be sent in the 10 s before the fault, and from it to 10 s after
   * recovery.
   */
  static RunReport.FaultRecord impact(FaultInjector.Injected f, List<Outcome> all, long start) {
    long window = 10_000_000_000L;
    long end = (f.recoveredNanos() > 0 ? f.recoveredNanos() : f.atNanos()) + window;
    List<Outcome> before =
        all.stream()
            .filter(
                o -> o.intendedNanos() >= f.atNanos() - window && o.intendedNanos() < f.atNanos())
            .toList();
    List<Outcome> during =
        all.stream()
            .filter(o -> o.intendedNanos() >= f.atNanos() && o.intendedNanos() < end)
            .toList();
    Latency duringAll = Latency.of(during, Outcome::latencyMs);
    return new RunReport.FaultRecord(
        f.kind().label(),
        f.target(),
        (f.atNanos() - start) / 1e9,
        f.recoveredNanos() > 0 ? (f.recoveredNanos() - start) / 1e9 : null,
        Aggregate.latency(before),
        duringAll,
        during.stream().filter(o -> !o.ok()).count(),
        f.detail());
  }

  private static String first(List<String> ids) {
    return ids.size() <= 5
        ? ids.toString()
        : ids.subList(0, 5) + " and " + (ids.size() - 5) + " more";
  }

  private static void sleepUntil(long nanos) throws InterruptedException {
    long wait = nanos - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000);
    }
  }
}
