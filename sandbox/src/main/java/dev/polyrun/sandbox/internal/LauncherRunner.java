package dev.polyrun.sandbox.internal;

import dev.polyrun.sandbox.OutputListener;
import dev.polyrun.sandbox.SandboxPolicy;
import dev.polyrun.sandbox.StageResult;
import dev.polyrun.sandbox.StageResult.Termination;
import dev.polyrun.sandbox.StageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one stage with polyrun's own launcher: the same configuration {@link OciSpec} makes for
 * runc, applied by a small C program in one clone and one exec, with no runtime process of its own
 * around the program. The stage's cgroup is made here as for runc; the launcher moves the program
 * into it. The program's wall time and the cpu spent before its exec come from the launcher's
 * report, so the stage's figures are the program's own.
 */
final class LauncherRunner implements StageLauncher {
  private static final Logger log = LoggerFactory.getLogger(LauncherRunner.class);
  private static final Duration POLL = Duration.ofMillis(20);
  private static final long CANCEL_POLL_NANOS = Duration.ofMillis(250).toNanos();

  /**
   * What every stage of one sandbox shares.
   *
   * @param launcher the launcher binary
   * @param bundles where stage files are written, one directory per stage
   * @param cgroups the stage cgroup factory
   * @param cpus the host's cpu numbers, for masked per-cpu paths
   * @param clock the worker's clock
   */
  record Host(
      Path launcher, Path bundles, Cgroup.Factory cgroups, List<Integer> cpus, Clock clock) {}

  private final Host host;

  LauncherRunner(Host host) {
    this.host = host;
  }

  @Override
  public StageResult run(
      StageSpec spec,
      SandboxPolicy policy,
      Path workDir,
      IdRange ids,
      Path fifo,
      Map<Path, String> extraMounts,
      OutputListener output)
      throws InterruptedException {
    long called = System.nanoTime();
    java.time.Instant calledAt = host.clock().instant();
    Path bundle = host.bundles().resolve(spec.name());
    Cgroup cgroup = null;
    StageResult result;
    try {
      Files.createDirectory(bundle);
      cgroup = host.cgroups().create(spec, policy);
      List<Path> join = cgroup.joinFiles();
      long cgroupMade = System.nanoTime();
      OciSpec.Stage stage =
          OciSpec.Stage.of(spec, workDir, cgroup.containerPath(), ids, List.of(), extraMounts);
      Files.write(
          bundle.resolve("stage"),
          LauncherStage.of(
              OciSpec.build(policy, stage, host.cpus()), join, spec.limits().wallTime()));
      if (log.isDebugEnabled()) {
        log.debug(
            "stage {}: cgroup {} us, stage file {} us",
            spec.name(),
            (cgroupMade - called) / 1000,
            (System.nanoTime() - cgroupMade) / 1000);
      }
      result = execute(spec, output, bundle, cgroup, called, calledAt);
    } catch (IOException | RuntimeException e) {
      log.warn("stage {} failed in the sandbox", spec.name(), e);
      result = StageResult.failure("sandbox: " + e.getMessage());
    } finally {
      if (cgroup != null) {
        cgroup.close();
      }
      Files2.deleteTree(bundle);
    }
    long total = System.nanoTime() - called;
    long cleanup = total - result.setupTime().toNanos() - result.wallTime().toNanos();
    return result.withCleanupTime(Duration.ofNanos(Math.max(0, cleanup)));
  }

  /**
   * Waits for the launcher's end, stopping the stage at the cpu limit (the program's cpu: the
   * cgroup's less the set-up's, known once the launcher reported the exec) or on cancellation. The
   * launcher stops it at the wall limit, counted from the exec; a wall limit here, a second later,
   * is the backstop for a launcher that failed to.
   */
  private static void watch(
      StageSpec spec,
      Process process,
      Cgroup cgroup,
      Path report,
      long start,
      AtomicReference<Termination> stop,
      AtomicLong killedAt)
      throws IOException, InterruptedException {
    long wallLimit = spec.limits().wallTime().plusSeconds(1).toNanos();
    long cpuLimit = spec.limits().cpuTime().toNanos();
    long setupCpu = -1;
    long nextCancelCheck = start + CANCEL_POLL_NANOS;
    while (!process.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
      long now = System.nanoTime();
      if (setupCpu < 0 && Files.exists(report)) {
        LauncherReport started = LauncherReport.parse(Files.readString(report));
        setupCpu = started.startedAt() == null ? -1 : started.setupCpu().toNanos();
      }
      if (now - start >= wallLimit) {
        StageRunner.stopStage(stop, killedAt, Termination.WALL_TIME_LIMIT, cgroup);
      } else if (cgroup.cpuNanos() - Math.max(0, setupCpu) >= cpuLimit) {
        StageRunner.stopStage(stop, killedAt, Termination.CPU_TIME_LIMIT, cgroup);
      } else if (now >= nextCancelCheck) {
        nextCancelCheck = now + CANCEL_POLL_NANOS;
        if (spec.cancelled().getAsBoolean()) {
          StageRunner.stopStage(stop, killedAt, Termination.CANCELLED, cgroup);
        }
      }
    }
  }

  private StageResult execute(
      StageSpec spec,
      OutputListener output,
      Path bundle,
      Cgroup cgroup,
      long called,
      java.time.Instant calledAt)
      throws IOException, InterruptedException {
    Path report = bundle.resolve("report");
    List<String> command =
        List.of(host.launcher().toString(), bundle.resolve("stage").toString(), report.toString());
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).start();
    log.debug(
        "stage {}: launcher spawned in {} us", spec.name(), (System.nanoTime() - start) / 1000);
    AtomicReference<Termination> stop = new AtomicReference<>();
    AtomicLong killedAt = new AtomicLong();
    AtomicLong budget = new AtomicLong(spec.limits().outputBytes());
    Runnable overflow =
        () -> StageRunner.stopStage(stop, killedAt, Termination.OUTPUT_LIMIT, cgroup);
    List<Thread> pumps = new ArrayList<>();
    pumps.add(
        Thread.ofVirtual()
            .start(new OutputPump(process.getInputStream(), budget, output::stdout, overflow)));
    pumps.add(
        Thread.ofVirtual()
            .start(new OutputPump(process.getErrorStream(), budget, output::stderr, overflow)));
    Thread feeder =
        Thread.ofVirtual().start(() -> StageRunner.feed(process.getOutputStream(), spec.stdin()));
    try {
      watch(spec, process, cgroup, report, start, stop, killedAt);
    } catch (InterruptedException e) {
      StageRunner.stopStage(stop, killedAt, Termination.CANCELLED, cgroup);
      process.destroyForcibly();
      throw e;
    }
    cgroup.killAll();
    for (Thread pump : pumps) {
      pump.join(Duration.ofSeconds(30));
    }
    feeder.interrupt();
    LauncherReport seen =
        Files.exists(report)
            ? LauncherReport.parse(Files.readString(report))
            : LauncherReport.parse(
                "error the launcher wrote no report (exit " + process.exitValue() + ")");
    if (!seen.errors().isEmpty() || seen.startedAt() == null) {
      return StageResult.failure("sandbox launcher: " + String.join("; ", seen.errors()));
    }
    // set-up is everything before the exec: the program's time starts there
    Duration setup = Duration.between(calledAt, seen.startedAt());
    if (setup.isNegative()) {
      setup = Duration.ofNanos(start - called);
    }
    if (seen.wallLimitHit()) {
      stop.compareAndSet(null, Termination.WALL_TIME_LIMIT);
    }
    StageVerdict.Observed observed =
        new StageVerdict.Observed(
            seen.status(), stop.get(), budget.get() < 0, seen.wall(), setup, "");
    // The cgroup counts the program and every process it made (reaped or not) and the launcher's
    // set-up after it joined: without the set-up, the program's own.
    StageResult verdict =
        StageVerdict.of(observed, cgroup, spec.limits(), seen.setupCpu().toNanos());
    return new StageResult(
        verdict.termination(),
        verdict.exitCode(),
        verdict.signal(),
        verdict.cpuTime(),
        seen.wall(),
        verdict.peakMemoryBytes(),
        verdict.outputTruncated(),
        verdict.detail(),
        setup,
        Duration.ZERO,
        seen.readyAt(),
        seen.startedAt(),
        seen.exitedAt(),
        seen.setupCpu().plus(seen.launcherCpu()));
  }
}
