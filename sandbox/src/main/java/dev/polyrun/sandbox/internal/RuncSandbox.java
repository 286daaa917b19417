package dev.polyrun.sandbox.internal;

import com.google.gson.Gson;
import dev.polyrun.sandbox.OutputListener;
import dev.polyrun.sandbox.Sandbox;
import dev.polyrun.sandbox.SandboxOptions;
import dev.polyrun.sandbox.StageResult;
import dev.polyrun.sandbox.StageResult.Termination;
import dev.polyrun.sandbox.StageSpec;
import dev.polyrun.sandbox.WorkDir;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each stage with {@code runc run} in a new container. The stage's limits live on a cgroup
 * the sandbox creates around the container's own, so cpu time, peak memory and OOM kills can be
 * read after the container is gone; the runtime's exit status is the program's.
 */
public final class RuncSandbox implements Sandbox {
  private static final Logger log = LoggerFactory.getLogger(RuncSandbox.class);
  private static final Duration POLL = Duration.ofMillis(20);
  private static final long CANCEL_POLL_NANOS = Duration.ofMillis(250).toNanos();
  private static final Gson GSON = new Gson();

  private final SandboxOptions options;
  private final Cgroup.Factory cgroups;
  private final Path bundles;
  private final Path workDirs;
  private final Path runtimeRoot;
  /**
   * Runs the runtime with a parent-death signal, so a worker that dies (kill -9, OOM) takes its
   * running stages with it instead of leaving user code running until the next sweep. The signal
   * follows the thread that started the stage: call {@link #run} from long-lived platform threads.
   */
  private final List<String> deathSignal;

  public RuncSandbox(SandboxOptions options) throws IOException {
    this.options = options;
    this.cgroups = Cgroup.detect(instanceName(options.stateDirectory()));
    this.bundles = options.stateDirectory().resolve("bundles");
    this.workDirs = options.stateDirectory().resolve("work");
    this.runtimeRoot = options.stateDirectory().resolve("runtime");
    for (Path dir : List.of(bundles, workDirs, runtimeRoot)) {
      Files.createDirectories(dir);
    }
    this.deathSignal = hasSetpriv() ? List.of("setpriv", "--pdeathsig", "KILL", "--") : List.of();
  }

  private static boolean hasSetpriv() {
    try {
      return Commands.run(List.of("setpriv", "--help")).contains("--pdeathsig");
    } catch (IOException e) {
      log.warn("setpriv is missing: a worker that dies leaves its running stages to the next sweep");
      return false;
    }
  }

  /** A short name for this sandbox's state directory: the cgroup parent of its stages. */
  public static String instanceName(Path stateDirectory) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(stateDirectory.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
      return "w" + java.util.HexFormat.of().formatHex(digest, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The cgroup hierarchy in use, "v1" or "v2". */
  public String cgroupVersion() {
    return cgroups.version();
  }

  @Override
  public WorkDir createWorkDir(String jobId, long sizeBytes, long inodes) throws IOException {
    Path dir = workDirs.resolve(jobId + "-" + Long.toHexString(System.nanoTime()));
    return TmpfsWorkDir.mount(dir, sizeBytes, inodes, options.hostIdBase() + OciSpec.SANDBOX_ID);
  }

  @Override
  public StageResult run(StageSpec spec, OutputListener output) throws InterruptedException {
    long called = System.nanoTime();
    StageResult result = runAndClean(spec, output);
    long total = System.nanoTime() - called;
    long setup = result.setupTime().toNanos();
    Duration cleanup = Duration.ofNanos(Math.max(0, total - setup - result.wallTime().toNanos()));
    return new StageResult(result.termination(), result.exitCode(), result.signal(), result.cpuTime(),
        result.wallTime(), result.peakMemoryBytes(), result.outputTruncated(), result.detail(),
        result.setupTime(), cleanup);
  }

  private StageResult runAndClean(StageSpec spec, OutputListener output) throws InterruptedException {
    long called = System.nanoTime();
    Path bundle = bundles.resolve(spec.name());
    Cgroup cgroup = null;
    try {
      Files.createDirectory(bundle);
      cgroup =
          cgroups.create(
              spec.name(),
              spec.limits().memoryBytes(),
              spec.limits().maxProcesses(),
              options.cpuMillicores());
      Path workDir = ((TmpfsWorkDir) spec.workDir()).sealForStage();
      String config =
          GSON.toJson(
              OciSpec.build(
                  spec.rootfs(), workDir, spec.argv(), spec.env(), spec.limits(),
                  cgroup.containerPath(), options.hostIdBase(), options.openFiles(),
                  options.tmpBytes(), spec.readOnlyWork()));
      Files.writeString(bundle.resolve("config.json"), config);
      return execute(spec, output, bundle, cgroup, called);
    } catch (IOException e) {
      log.warn("stage {} failed in the sandbox", spec.name(), e);
      return failure("sandbox: " + e.getMessage());
    } finally {
      cleanup(spec.name(), bundle, cgroup);
    }
  }

  private StageResult execute(StageSpec spec, OutputListener output, Path bundle, Cgroup cgroup, long called)
      throws IOException, InterruptedException {
    Path runcLog = bundle.resolve("runc.log");
    List<String> command = new ArrayList<>(deathSignal);
    command.addAll(List.of(options.runtime(), "--root", runtimeRoot.toString(), "--log", runcLog.toString(),
        "--log-format", "json", "run", "--bundle", bundle.toString(), spec.name()));
    ProcessBuilder pb = new ProcessBuilder(command);
    long start = System.nanoTime();
    Duration setup = Duration.ofNanos(start - called);
    Process process = pb.start();
    AtomicReference<Termination> stop = new AtomicReference<>();
    AtomicLong killedAt = new AtomicLong();
    AtomicLong budget = new AtomicLong(spec.limits().outputBytes());
    Runnable overflow = () -> stopStage(stop, killedAt, Termination.OUTPUT_LIMIT, cgroup);
    List<Thread> pumps = new ArrayList<>();
    pumps.add(Thread.ofVirtual().start(new OutputPump(process.getInputStream(), budget, output::stdout, overflow)));
    pumps.add(Thread.ofVirtual().start(new OutputPump(process.getErrorStream(), budget, output::stderr, overflow)));
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
    Duration wall = Duration.ofNanos(end - start);
    // The pid namespace dies with its init; this also covers a runtime that left one behind.
    cgroup.killAll();
    // Every writer is dead: the pumps reach the end of the pipes once they delivered what is left.
    for (Thread pump : pumps) {
      pump.join(Duration.ofSeconds(30));
    }
    feeder.interrupt();
    boolean truncated = budget.get() < 0;
    return verdict(process.exitValue(), wall, cgroup, stop.get(), truncated, spec, runcLog, setup);
  }

  /** Waits for the program's end, stopping it at the wall and cpu limits or on cancellation. */
  private void watch(
      StageSpec spec, Process process, Cgroup cgroup, long start, AtomicReference<Termination> stop,
      AtomicLong killedAt) throws IOException, InterruptedException {
    long wallLimit = spec.limits().wallTime().toNanos();
    long cpuLimit = spec.limits().cpuTime().toNanos();
    long nextCancelCheck = start + CANCEL_POLL_NANOS;
    while (!process.waitFor(POLL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
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
  private static void stopStage(
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

  private StageResult verdict(
      int status,
      Duration wall,
      Cgroup cgroup,
      Termination stopped,
      boolean truncated,
      StageSpec spec,
      Path runcLog,
      Duration setup)
      throws IOException {
    long cpuNanos = cgroup.cpuNanos();
    long peak = cgroup.peakMemoryBytes();
    // v1 counts OOM kills in the container's own cgroup, which is gone by now: a limit that was
    // hit by a program that then failed is taken as the same event.
    boolean outOfMemory = cgroup.oomKills() > 0 || (cgroup.limitHits() > 0 && status != 0);
    int signal = status > 128 && status <= 128 + 64 ? status - 128 : 0;
    int exitCode = signal == 0 ? status : -1;
    Termination termination = stopped;
    if (termination == null) {
      String runtimeError = runtimeError(runcLog);
      if (outOfMemory) {
        termination = Termination.MEMORY_LIMIT;
      } else if (cpuNanos >= spec.limits().cpuTime().toNanos()) {
        termination = Termination.CPU_TIME_LIMIT;
      } else if (!runtimeError.isEmpty() && status != 0) {
        return failure("container runtime: " + runtimeError);
      } else {
        termination = Termination.EXITED;
      }
    }
    return new StageResult(
        termination, exitCode, signal, Duration.ofNanos(cpuNanos), wall, peak, truncated, "", setup, Duration.ZERO);
  }

  /** The runtime's own error messages (not the program's), or "" when it logged none. */
  private static String runtimeError(Path runcLog) {
    if (!Files.exists(runcLog)) {
      return "";
    }
    StringBuilder errors = new StringBuilder();
    try {
      for (String line : Files.readAllLines(runcLog, StandardCharsets.UTF_8)) {
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

  private static void feed(OutputStream stdin, byte[] data) {
    try (stdin) {
      stdin.write(data);
    } catch (IOException e) {
      // the program exited or closed its stdin without reading everything
    }
  }

  private void cleanup(String name, Path bundle, Cgroup cgroup) {
    try {
      Commands.run(List.of(options.runtime(), "--root", runtimeRoot.toString(), "delete", "--force", name));
    } catch (IOException e) {
      // already deleted by "runc run"
    }
    if (cgroup != null) {
      cgroup.close();
    }
    deleteTree(bundle);
  }

  private static StageResult failure(String detail) {
    return new StageResult(
        Termination.SANDBOX_FAILURE, -1, 0, Duration.ZERO, Duration.ZERO, 0, false, detail, Duration.ZERO, Duration.ZERO);
  }

  @Override
  public void sweep() {
    try {
      String listed = Commands.run(List.of(options.runtime(), "--root", runtimeRoot.toString(), "list", "-q"));
      for (String name : listed.split("\\s+")) {
        if (!name.isBlank()) {
          log.info("sweeping container {} left by an earlier worker", name);
          try {
            Commands.run(List.of(options.runtime(), "--root", runtimeRoot.toString(), "delete", "--force", name));
          } catch (IOException e) {
            log.warn("cannot delete container {}: {}", name, e.getMessage());
          }
        }
      }
    } catch (IOException e) {
      log.warn("cannot list leftover containers: {}", e.getMessage());
    }
    cgroups.sweep();
    // A runtime killed with its worker can leave state that "runc delete" does not clear; with
    // every process of those containers gone, their state directories are plain leftovers.
    for (Path dir : List.of(workDirs, bundles, runtimeRoot)) {
      try (Stream<Path> list = Files.list(dir)) {
        for (Path leftover : list.toList()) {
          log.info("sweeping {} left by an earlier worker", leftover);
          if (dir.equals(workDirs)) {
            TmpfsWorkDir.unmount(leftover);
          } else {
            deleteTree(leftover);
          }
        }
      } catch (IOException e) {
        log.warn("cannot sweep {}: {}", dir, e.getMessage());
      }
    }
  }

  /** Deletes a directory the worker wrote itself (bundles); never used on work directories. */
  private static void deleteTree(Path dir) {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", dir, e.getMessage());
    }
  }

  @Override
  public void close() {}
}
