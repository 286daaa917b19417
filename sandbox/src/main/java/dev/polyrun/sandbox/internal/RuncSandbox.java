package dev.polyrun.sandbox.internal;

import dev.polyrun.sandbox.OutputListener;
import dev.polyrun.sandbox.PolicyOverride;
import dev.polyrun.sandbox.RuntimeFacts;
import dev.polyrun.sandbox.Sandbox;
import dev.polyrun.sandbox.SandboxOptions;
import dev.polyrun.sandbox.SandboxPolicy;
import dev.polyrun.sandbox.SandboxUnavailableException;
import dev.polyrun.sandbox.StageResult;
import dev.polyrun.sandbox.StageSpec;
import dev.polyrun.sandbox.WorkDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox: each stage in a new sandbox under the policy, made by polyrun's own launcher ({@link
 * LauncherRunner}, the default) or by an OCI runtime such as runc ({@link StageRunner}), in a
 * cgroup the sandbox makes. Holds one host id range per slot for its life, and the work
 * directories, the start-up probe and the sweep, whichever launches the stages.
 */
public final class RuncSandbox implements Sandbox {
  private static final Logger log = LoggerFactory.getLogger(RuncSandbox.class);

  /** Where the ranges of the last start are written, for {@link dev.polyrun.sandbox.Leftovers}. */
  public static final String ID_RANGES_FILE = "id-ranges";

  private final SandboxOptions options;
  private final SandboxPolicy policy;
  private final Cgroup.Factory cgroups;
  private final Path workDirs;
  private final Path bundles;
  private final Path runtimeRoot;
  private final Path fifos;
  private final IdRanges ids;
  private final StageLauncher runner;
  private final String runtimeBinary;
  private final Map<PolicyOverride, SandboxPolicy> languagePolicies = new ConcurrentHashMap<>();
  private volatile RuntimeFacts facts;

  private RuncSandbox(SandboxOptions options, SandboxPolicy policy, IdRanges ids)
      throws IOException {
    this.options = options;
    this.policy = policy;
    this.ids = ids;
    Path state = options.stateDirectory();
    this.cgroups = Cgroup.detect(instanceName(state));
    this.bundles = state.resolve("bundles");
    this.workDirs = state.resolve("work");
    this.runtimeRoot = state.resolve("runtime");
    this.fifos = state.resolve("hooks");
    boolean launcher = options.runtime().equals(SandboxOptions.LAUNCHER);
    List<String> hook = launcher ? List.of() : hookCommand();
    if (!hook.isEmpty()) {
      for (IdRange r : ids.all()) {
        Path fifo = fifo(r);
        if (!Files.exists(fifo)) {
          Commands.run(List.of("mkfifo", "-m", "0600", fifo.toString()));
        }
      }
    }
    this.runtimeBinary =
        launcher ? LauncherBinary.install(options, state).toString() : options.runtime();
    this.runner =
        launcher
            ? new LauncherRunner(
                new LauncherRunner.Host(
                    Path.of(runtimeBinary), bundles, cgroups, cpus(), Clock.systemUTC()))
            : new StageRunner(
                new StageRunner.Host(
                    options.runtime(),
                    runtimeRoot,
                    bundles,
                    deathSignal(),
                    hook,
                    cgroups,
                    cpus(),
                    Clock.systemUTC()));
  }

  /** Starts the sandbox: see {@link Sandbox#open}. */
  public static RuncSandbox open(SandboxOptions options) throws IOException {
    SandboxPolicy policy = SandboxPolicy.defaults().with(options.operatorPolicy());
    Path state = options.stateDirectory();
    for (String sub : List.of("bundles", "work", "runtime", "hooks")) {
      Files.createDirectories(state.resolve(sub));
    }
    IdRanges ids;
    try {
      ids =
          IdRanges.claim(
              policy.ids(),
              options.slots(),
              options.claimsDirectory(),
              List.of(Path.of("/etc/subuid"), Path.of("/etc/subgid")));
    } catch (IOException e) {
      throw new SandboxUnavailableException("host id ranges: " + e.getMessage(), e);
    }
    RuncSandbox sandbox = null;
    try {
      Files.writeString(
          state.resolve(ID_RANGES_FILE),
          ids.all().stream()
              .map(r -> r.first() + " " + r.size() + "\n")
              .collect(Collectors.joining()));
      sandbox = new RuncSandbox(options, policy, ids);
      sandbox.facts = RuntimeProbe.probe(sandbox);
    } catch (IOException | RuntimeException e) {
      if (sandbox != null) {
        sandbox.close();
      } else {
        ids.close();
      }
      throw e;
    }
    List<RuntimeFacts.Feature> missing = sandbox.facts.missing();
    if (!missing.isEmpty()) {
      sandbox.close();
      throw new SandboxUnavailableException(
          "the sandbox cannot run stages as its policy says on this host:"
              + missing.stream()
                  .map(f -> "\n  " + f.name() + ": " + f.detail())
                  .collect(Collectors.joining())
              + "\n(expected: every feature the policy asks for; fix the host, or loosen the policy in the operator's"
              + " override, see sandbox/README.md)");
    }
    return sandbox;
  }

  /** A short name for a state directory: the cgroup parent of its stages. */
  public static String instanceName(Path stateDirectory) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(
                  stateDirectory
                      .toAbsolutePath()
                      .normalize()
                      .toString()
                      .getBytes(StandardCharsets.UTF_8));
      return "w" + java.util.HexFormat.of().formatHex(digest, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs the runtime with a parent-death signal, so a worker that dies (kill -9, OOM) takes its
   * running stages with it. The signal follows the thread that started the stage: call {@link #run}
   * from long-lived platform threads.
   */
  private static List<String> deathSignal() {
    try {
      if (Commands.run(List.of("setpriv", "--help")).contains("--pdeathsig")) {
        return List.of("setpriv", "--pdeathsig", "KILL", "--");
      }
    } catch (IOException e) {
      // reported below
    }
    log.warn(
        "setpriv with --pdeathsig is missing: a worker that dies leaves its running stages to the next sweep");
    return List.of();
  }

  /** The hook that copies the container's state into a FIFO: tee, when the host has it. */
  private static List<String> hookCommand() {
    for (String tee : List.of("/usr/bin/tee", "/bin/tee")) {
      if (Files.isExecutable(Path.of(tee))) {
        return List.of(tee);
      }
    }
    log.warn("tee is missing: stages report no container-ready and program-start instants");
    return List.of();
  }

  /** The host's cpu numbers (for per-cpu masked paths). */
  private static List<Integer> cpus() {
    List<Integer> cpus = new ArrayList<>();
    try (Stream<Path> list = Files.list(Path.of("/sys/devices/system/cpu"))) {
      list.map(p -> p.getFileName().toString())
          .filter(n -> n.matches("cpu\\d+"))
          .forEach(n -> cpus.add(Integer.parseInt(n.substring(3))));
    } catch (IOException e) {
      // no sysfs: nothing per cpu to mask
    }
    cpus.sort(null);
    return cpus;
  }

  private Path fifo(IdRange r) {
    return fifos.resolve(r.first() + ".fifo");
  }

  /** The command that runs stages: the runtime's name, or the launcher's path. */
  String runtimeBinary() {
    return runtimeBinary;
  }

  SandboxOptions options() {
    return options;
  }

  Cgroup.Factory cgroups() {
    return cgroups;
  }

  IdRanges idRanges() {
    return ids;
  }

  Path stateDirectory() {
    return options.stateDirectory();
  }

  @Override
  public RuntimeFacts facts() {
    return facts;
  }

  @Override
  public SandboxPolicy policy() {
    return policy;
  }

  @Override
  public WorkDir createWorkDir(String jobId, long sizeBytes, long inodes) throws IOException {
    IdRange range = ids.acquire();
    Path dir = workDirs.resolve(jobId + "-" + Long.toHexString(System.nanoTime()));
    try {
      return TmpfsWorkDir.mount(
          dir,
          sizeBytes,
          inodes,
          range,
          policy.process().uid(),
          policy.process().gid(),
          ids::release);
    } catch (IOException | RuntimeException e) {
      ids.release(range);
      throw e;
    }
  }

  @Override
  public StageResult run(StageSpec spec, OutputListener output) throws InterruptedException {
    return run(spec, Map.of(), output);
  }

  /** Runs a stage with extra read-only binds (the probe's). */
  StageResult run(StageSpec spec, Map<Path, String> extraMounts, OutputListener output)
      throws InterruptedException {
    SandboxPolicy stagePolicy;
    try {
      stagePolicy = policyFor(spec.languagePolicy());
    } catch (IllegalArgumentException e) {
      return StageResult.failure("sandbox policy: " + e.getMessage());
    }
    TmpfsWorkDir work = (TmpfsWorkDir) spec.workDir();
    Path fifo = Files.exists(fifo(work.ids())) ? fifo(work.ids()) : null;
    return runner.run(
        spec, stagePolicy, work.sealForStage(), work.ids(), fifo, extraMounts, output);
  }

  /**
   * Defaults, then the language's override, then the operator's: the operator has the last word.
   */
  private SandboxPolicy policyFor(PolicyOverride language) {
    if (language.isEmpty()) {
      return policy;
    }
    return languagePolicies.computeIfAbsent(
        language, l -> SandboxPolicy.defaults().with(l).with(options.operatorPolicy()));
  }

  @Override
  public void sweep() {
    if (!options.runtime().equals(SandboxOptions.LAUNCHER)) {
      sweepContainers();
    }
    cgroups.sweep();
    sweepFiles();
  }

  /** Deletes the containers an earlier worker's OCI runtime left. */
  private void sweepContainers() {
    String runtime = options.runtime();
    try {
      String listed =
          Commands.run(List.of(runtime, "--root", runtimeRoot.toString(), "list", "-q"));
      for (String name : listed.split("\\s+")) {
        if (!name.isBlank()) {
          log.info("sweeping container {} left by an earlier worker", name);
          try {
            Commands.run(
                List.of(runtime, "--root", runtimeRoot.toString(), "delete", "--force", name));
          } catch (IOException e) {
            log.warn("cannot delete container {}: {}", name, e.getMessage());
          }
        }
      }
    } catch (IOException e) {
      log.warn("cannot list leftover containers: {}", e.getMessage());
    }
  }

  /** Removes work directories, bundles and runtime state an earlier worker left. */
  private void sweepFiles() {
    // A runtime killed with its worker can leave state that "runc delete" does not clear; with
    // every process of those containers gone, their state directories are plain leftovers.
    for (Path dir : List.of(workDirs, bundles, runtimeRoot)) {
      try (Stream<Path> list = Files.list(dir)) {
        for (Path leftover : list.toList()) {
          log.info("sweeping {} left by an earlier worker", leftover);
          if (dir.equals(workDirs)) {
            TmpfsWorkDir.unmount(leftover);
          } else {
            Files2.deleteTree(leftover);
          }
        }
      } catch (IOException e) {
        log.warn("cannot sweep {}: {}", dir, e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    cgroups.removeParent();
    ids.close();
  }
}
