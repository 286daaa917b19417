package dev.polyrun.sandbox.internal;

import com.google.gson.Gson;
import dev.polyrun.sandbox.OutputListener;
import dev.polyrun.sandbox.SandboxPolicy;
import dev.polyrun.sandbox.StageResult;
import dev.polyrun.sandbox.StageResult.Termination;
import dev.polyrun.sandbox.StageSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one stage with {@code runc run}: its cgroup and bundle, the runtime under a parent-death
 * signal, output pumps, the watch for the wall and cpu limits and cancellation, the verdict, and
 * the removal of everything. The stage's limits live on a cgroup made around the container's own,
 * so cpu time, peak memory and OOM kills can be read after the container is gone.
 */
final class StageRunner implements StageLauncher {
  private static final Logger log = LoggerFactory.getLogger(StageRunner.class);
  private static final Duration POLL = Duration.ofMillis(20);
  private static final long CANCEL_POLL_NANOS = Duration.ofMillis(250).toNanos();
  private static final Gson GSON = new Gson();

  /**
   * What every stage of one sandbox shares.
   *
   * @param runtime the runtime binary
   * @param runtimeRoot the runtime's state directory
   * @param bundles where bundles are written
   * @param deathSignal command prefix that kills the runtime with its worker, or empty
   * @param hookCommand the hook that copies state into a FIFO (its path appended), or empty
   * @param cgroups the stage cgroup factory
   * @param cpus the host's cpu numbers, for masked per-cpu paths
   * @param clock the worker's clock
   */
  record Host(
      String runtime,
      Path runtimeRoot,
      Path bundles,
      List<String> deathSignal,
      List<String> hookCommand,
      Cgroup.Factory cgroups,
      List<Integer> cpus,
      Clock clock) {}

  private final Host host;

  StageRunner(Host host) {
    this.host = host;
  }

  /**
   * Runs the stage and removes its container, cgroup and bundle.
   *
   * @param workDir the sealed work directory's host path
   * @param ids the slot's id range
   * @param fifo the slot's hook FIFO, or null for no timings
   * @param extraMounts read-only binds (the probe's)
   */
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
    Path bundle = host.bundles().resolve(spec.name());
    Cgroup cgroup = null;
    Cgroup.RuntimeCgroup runtimeCgroup = null;
    HookClock hooks = null;
    StageResult result;
    try {
      Files.createDirectory(bundle);
      cgroup = host.cgroups().create(spec, policy);
      runtimeCgroup = host.cgroups().createRuntime(spec.name());
      List<String> hook = List.of();
      if (fifo != null && !host.hookCommand().isEmpty()) {
        hooks = HookClock.listen(fifo, spec.name(), host.clock());
        hook = new ArrayList<>(host.hookCommand());
        hook.add(fifo.toString());
      }
      OciSpec.Stage stage =
          OciSpec.Stage.of(spec, workDir, cgroup.containerPath(), ids, hook, extraMounts);
      Files.writeString(
          bundle.resolve("config.json"), GSON.toJson(OciSpec.build(policy, stage, host.cpus())));
      result = execute(spec, output, bundle, cgroup, runtimeCgroup, hooks, called);
    } catch (IOException | RuntimeException e) {
      log.warn("stage {} failed in the sandbox", spec.name(), e);
      result = StageResult.failure("sandbox: " + e.getMessage());
    } finally {
      if (hooks != null) {
        hooks.close();
      }
      cleanup(spec.name(), bundle, cgroup, runtimeCgroup);
    }
    long total = System.nanoTime() - called;
    long cleanup = total - result.setupTime().toNanos() - result.wallTime().toNanos();
    return result.withCleanupTime(Duration.ofNanos(Math.max(0, cleanup)));
  }

  private StageResult execute(
      StageSpec spec,
      OutputListener output,
      Path bundle,
      Cgroup cgroup,
      Cgroup.RuntimeCgroup runtimeCgroup,
      HookClock hooks,
      long called)
      throws IOException, InterruptedException {
    Path runtimeLog = bundle.resolve("runtime.log");
    List<String> command = new ArrayList<>(host.deathSignal());
    command.addAll(
        List.of(
            host.runtime(),
            "--root",
            host.runtimeRoot().toString(),
            "--log",
            runtimeLog.toString(),
            "--log-format",
            "json",
            "run",
            "--bundle",
            bundle.toString(),
            spec.name()));
    Instant startInstant = host.clock().instant();
    long start = System.nanoTime();
    Duration setup = Duration.ofNanos(start - called);
    Process process = new ProcessBuilder(command).start();
    try {
      // The runtime forks its container's init only after reading the bundle: moving it now keeps
      // (nearly) all of its cpu time, and its hooks', apart from the program's.
      runtimeCgroup.add(process.pid());
    } catch (IOException e) {
      log.debug("cannot move the runtime of {} into its cgroup: {}", spec.name(), e.getMessage());
    }
    AtomicReference<Termination> stop = new AtomicReference<>();
    AtomicLong killedAt = new AtomicLong();
    AtomicLong budget = new AtomicLong(spec.limits().outputBytes());
    Runnable overflow = () -> stopStage(stop, killedAt, Termination.OUTPUT_LIMIT, cgroup);
    List<Thread> pumps = new ArrayList<>();
    pumps.add(
        Thread.ofVirtual()
            .start(new OutputPump(process.getInputStream(), budget, output::stdout, overflow)));
    pumps.add(
        Thread.ofVirtual()
            .start(new OutputPump(process.getErrorStream(), budget, output::stderr, overflow)));
    Thread feeder = Thread.ofVirtual().start(() -> feed(process.getOutputStream(), spec.stdin()));
    try {
      watch(spec, process, cgroup, start, stop, killedAt);
    } catch (InterruptedException e) {
      stopStage(stop, killedAt, Termination.CANCELLED, cgroup);
      process.destroyForcibly();
      throw e;
    }
    // A stage the sandbox stopped ended when its processes were killed, not when the runtime
    // finished tearing the container down.
    long end = killedAt.get() != 0 ? killedAt.get() : System.nanoTime();
    // The pid namespace dies with its init; this also covers a runtime that left one behind.
    cgroup.killAll();
    // Every writer is dead: the pumps reach the end of the pipes once they delivered what is left.
    for (Thread pump : pumps) {
      pump.join(Duration.ofSeconds(30));
    }
    feeder.interrupt();
    StageVerdict.Observed seen =
        new StageVerdict.Observed(
            process.exitValue(),
            stop.get(),
            budget.get() < 0,
            Duration.ofNanos(end - start),
            setup,
            runtimeError(runtimeLog));
    StageResult result = StageVerdict.of(seen, cgroup, spec.limits());
    if (result.termination() == Termination.SANDBOX_FAILURE) {
      return result;
    }
    Duration sandboxCpu = null;
    try {
      sandboxCpu = Duration.ofNanos(runtimeCgroup.cpuNanos());
    } catch (IOException e) {
      // not measurable on this host
    }
    return new StageResult(
        result.termination(),
        result.exitCode(),
        result.signal(),
        result.cpuTime(),
        result.wallTime(),
        result.peakMemoryBytes(),
        result.outputTruncated(),
        result.detail(),
        setup,
        Duration.ZERO,
        hooks == null ? null : hooks.readyAt(),
        hooks == null ? null : hooks.startedAt(),
        startInstant.plusNanos(end - start),
        sandboxCpu);
  }

  /** Waits for the program's end, stopping it at the wall and cpu limits or on cancellation. */
  static void watch(
      StageSpec spec,
      Process process,
      Cgroup cgroup,
      long start,
      AtomicReference<Termination> stop,
      AtomicLong killedAt)
      throws IOException, InterruptedException {
    long wallLimit = spec.limits().wallTime().toNanos();
    long cpuLimit = spec.limits().cpuTime().toNanos();
    long nextCancelCheck = start + CANCEL_POLL_NANOS;
    while (!process.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
      long now = System.nanoTime();
      if (now - start >= wallLimit) {
        stopStage(stop, killedAt, Termination.WALL_TIME_LIMIT, cgroup);
      } else if (cgroup.cpuNanos() >= cpuLimit) {
        stopStage(stop, killedAt, Termination.CPU_TIME_LIMIT, cgroup);
      } else if (now >= nextCancelCheck) {
        nextCancelCheck = now + CANCEL_POLL_NANOS;
        if (spec.cancelled().getAsBoolean()) {
          stopStage(stop, killedAt, Termination.CANCELLED, cgroup);
        }
      }
    }
  }

  /** Records the first reason to stop and kills every process of the stage. */
  static void stopStage(
      AtomicReference<Termination> stop, AtomicLong killedAt, Termination why, Cgroup cgroup) {
    boolean first = stop.compareAndSet(null, why);
    try {
      cgroup.killAll();
    } catch (IOException e) {
      log.warn("cannot kill stage processes", e);
    }
    if (first) {
      killedAt.compareAndSet(0, System.nanoTime());
    }
  }

  /** The runtime's own error messages (not the program's), or "" when it logged none. */
  private static String runtimeError(Path runtimeLog) {
    if (!Files.exists(runtimeLog)) {
      return "";
    }
    StringBuilder errors = new StringBuilder();
    try {
      for (String line : Files.readAllLines(runtimeLog)) {
        var entry = GSON.fromJson(line, com.google.gson.JsonObject.class);
        if (entry != null && entry.has("level") && entry.has("msg")) {
          String level = entry.get("level").getAsString();
          if (level.equals("error") || level.equals("fatal")) {
            errors.append(errors.isEmpty() ? "" : "; ").append(entry.get("msg").getAsString());
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return "unreadable runtime log: " + e.getMessage();
    }
    return errors.toString();
  }

  static void feed(OutputStream stdin, byte[] data) {
    try (stdin) {
      stdin.write(data);
    } catch (IOException e) {
      // the program exited or closed its stdin without reading everything
    }
  }

  private void cleanup(
      String name, Path bundle, Cgroup cgroup, Cgroup.RuntimeCgroup runtimeCgroup) {
    // "runc run" deletes its container when it ends; only a runtime that died leaves state, and
    // only then is another runtime process (and its cpu) spent on deleting it.
    if (Files.exists(host.runtimeRoot().resolve(name))) {
      try {
        Commands.run(
            List.of(
                host.runtime(),
                "--root",
                host.runtimeRoot().toString(),
                "delete",
                "--force",
                name));
      } catch (IOException e) {
        log.warn("cannot delete container {}: {}", name, e.getMessage());
      }
    }
    if (cgroup != null) {
      cgroup.close();
    }
    if (runtimeCgroup != null) {
      runtimeCgroup.close();
    }
    Files2.deleteTree(bundle);
  }
}
