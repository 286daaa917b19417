package dev.polyrun.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.config.StageLimits;
import dev.polyrun.sandbox.StageResult.Termination;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Programs run in real runc containers from the real python image; each ends with a verdict and
 * leaves nothing. The same cases run on polyrun's own launcher when the system property {@code
 * polyrun.it.runtime} names it (the module's second failsafe execution).
 */
class RuncSandboxIT {
  private static final String RUNTIME = System.getProperty("polyrun.it.runtime", "runc");
  private static final StageLimits LIMITS =
      new StageLimits(
          Duration.ofSeconds(2), Duration.ofSeconds(3), 128L << 20, 32, 64 << 10, 1 << 20);
  private static Path python;
  private static Sandbox sandbox;
  private static Path state;
  private static int counter;

  @BeforeAll
  static void setUp() throws IOException {
    python = TestImages.rootfs("python");
    state = Files.createTempDirectory("polyrun-sandbox-it");
    sandbox =
        Sandbox.open(
            SandboxOptions.builder()
                .stateDirectory(state)
                .runtime(RUNTIME)
                .slots(2)
                .operatorPolicy(TestImages.TEST_IDS)
                .build());
  }

  @AfterAll
  static void tearDown() throws IOException {
    sandbox.close();
    deleteFolder(state);
  }

  /** Removes a state folder the sandbox emptied (each test checks that first). */
  static void deleteFolder(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @AfterEach
  void nothingIsLeftBehind() throws IOException {
    assertThat(Leftovers.of(state)).isEmpty();
  }

  record Run(StageResult result, String stdout, String stderr) {}

  private static Run run(String program, String stdin, StageLimits limits) throws Exception {
    return run(sandbox, program, stdin, limits, PolicyOverride.none());
  }

  private static Run run(
      Sandbox on, String program, String stdin, StageLimits limits, PolicyOverride language)
      throws Exception {
    try (WorkDir dir = on.createWorkDir("it", 16 << 20, 256)) {
      return run(on, dir, program, stdin, limits, language);
    }
  }

  private static Run run(
      Sandbox on,
      WorkDir dir,
      String program,
      String stdin,
      StageLimits limits,
      PolicyOverride language)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String file = "main" + (++counter) + ".py";
    dir.write(file, program.getBytes(StandardCharsets.UTF_8));
    Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "HOME", "/tmp", "LANG", "C.UTF-8");
    StageSpec spec =
        new StageSpec(
                "it-" + counter + "-" + ProcessHandle.current().pid(),
                python,
                dir,
                List.of("python3", file),
                env,
                stdin.getBytes(StandardCharsets.UTF_8),
                limits,
                () -> false)
            .withLanguagePolicy(language);
    StageResult result =
        on.run(
            spec,
            new OutputListener() {
              @Override
              public synchronized void stdout(byte[] chunk) {
                out.writeBytes(chunk);
              }

              @Override
              public synchronized void stderr(byte[] chunk) {
                err.writeBytes(chunk);
              }
            });
    return new Run(
        result, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Run run(String program) throws Exception {
    return run(program, "", LIMITS);
  }

  @Test
  void programReadsStdinAndExitsWithItsCode() throws Exception {
    Run r =
        run("import sys\nprint(sys.stdin.read().strip()[::-1])\nsys.exit(3)", "olleh\n", LIMITS);

    assertThat(r.stdout()).isEqualTo("hello\n");
    assertThat(r.result().termination()).isEqualTo(Termination.EXITED);
    assertThat(r.result().exitCode()).isEqualTo(3);
    assertThat(r.result().cpuTime()).isPositive();
  }

  @Test
  void programRunsAsAnUnprivilegedUserWithNoCapabilities() throws Exception {
    Run r =
        run(
            "import os\nprint(os.getuid(), os.getgid())\n"
                + "print([l for l in open('/proc/self/status') if l.startswith('CapEff')][0].split()[1])");

    assertThat(r.stdout()).isEqualTo("1000 1000\n0000000000000000\n");
  }

  @Test
  void processRunsWithNoNewPrivsSeccompNoCoreDumpsAndItsOwnHostname() throws Exception {
    Run r =
        run(
            "import resource, socket\nst = dict(l.split(':', 1) for l in open('/proc/self/status'))\n"
                + "print(st['NoNewPrivs'].strip(), st['Seccomp'].strip(), resource.getrlimit(resource.RLIMIT_CORE), socket.gethostname())\n"
                + "def masked(p):\n  try:\n    return open(p, 'rb').read(16) == b''\n  except OSError:\n    return True\n"
                + "print(masked('/proc/kcore'), masked('/proc/keys'), masked('/proc/timer_list'))\n"
                + "print(sorted(p for p in __import__('os').listdir('/proc') if p.isdigit()))");

    assertThat(r.stdout()).isEqualTo("1 2 (0, 0) sandbox\nTrue True True\n['1']\n");
  }

  @Test
  void cpuQuotaHoldsManyThreadsToOneCore() throws Exception {
    Run r =
        run(
            "import threading, time\ndef spin():\n  end = time.time() + 1.5\n  while time.time() < end: pass\n"
                + "ts = [threading.Thread(target=spin) for _ in range(2)]\nt0 = time.time()\n[t.start() for t in ts]\n"
                + "[t.join() for t in ts]\nprint(int((time.time() - t0) * 1000))\n",
            "",
            new StageLimits(
                Duration.ofSeconds(10), Duration.ofSeconds(10), 128L << 20, 32, 64 << 10, 1 << 20));

    assertThat(r.result().termination()).isEqualTo(Termination.EXITED);
    // Two threads spinning for 1.5 s would use 3 s of cpu on two free cores: one core's quota
    // holds them to about the time they ran (less when the host is busy).
    long ranMillis = Long.parseLong(r.stdout().trim());
    assertThat(r.result().cpuTime())
        .as("cpu of two spinning threads that ran for %d ms", ranMillis)
        .isLessThan(Duration.ofMillis(ranMillis + 200));
  }

  @Test
  void cpuSpinIsStoppedAtTheCpuLimit() throws Exception {
    Run r =
        run(
            "while True: pass",
            "",
            new StageLimits(
                Duration.ofSeconds(2), Duration.ofSeconds(60), 128L << 20, 32, 64 << 10, 1 << 20));

    assertThat(r.result().termination()).isEqualTo(Termination.CPU_TIME_LIMIT);
    // stopped at its limit, not when the program would have ended (never); the slack is for a busy
    // host
    assertThat(r.result().cpuTime()).isBetween(Duration.ofMillis(2000), Duration.ofMillis(3000));
  }

  @Test
  void sleepingIsStoppedAtTheWallLimit() throws Exception {
    Run r = run("import time\ntime.sleep(60)");

    assertThat(r.result().termination()).isEqualTo(Termination.WALL_TIME_LIMIT);
    // stopped at its limit, not when the program would have ended (60 s); the slack is for a busy
    // host
    assertThat(r.result().wallTime()).isBetween(Duration.ofMillis(3000), Duration.ofMillis(5000));
  }

  @Test
  void memoryBombEndsAsMemoryLimit() throws Exception {
    Run r = run("a = []\nwhile True: a.append(bytearray(1 << 20))");

    assertThat(r.result().termination()).isEqualTo(Termination.MEMORY_LIMIT);
    assertThat(r.result().peakMemoryBytes())
        .isLessThanOrEqualTo(128L << 20)
        .isGreaterThan(100L << 20);
  }

  @Test
  void forkBombIsContainedByThePidsLimit() throws Exception {
    Run r =
        run(
            "import os\nn = 0\nwhile True:\n  try:\n    if os.fork() == 0:\n      import time; time.sleep(60)\n    n += 1\n"
                + "  except OSError:\n    print('forks', n, flush=True)\n    break\n");

    assertThat(r.stdout()).startsWith("forks ");
    assertThat(Integer.parseInt(r.stdout().trim().split(" ")[1])).isLessThan(LIMITS.maxProcesses());
  }

  @Test
  void infiniteOutputIsCutAtTheCapAndKeepsWhatCameBefore() throws Exception {
    Run r = run("while True: print('y' * 99)");

    assertThat(r.result().termination()).isEqualTo(Termination.OUTPUT_LIMIT);
    assertThat(r.result().outputTruncated()).isTrue();
    assertThat(r.stdout()).hasSize(64 << 10).startsWith("yyyy");
  }

  @Test
  void thereIsNoNetworkButTheContainersOwnLoopback() throws Exception {
    Run r =
        run(
            "import socket\nprint(sorted(n for _, n in socket.if_nameindex()))\n"
                + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                + "try:\n  s.connect(('1.1.1.1', 53)); print('routed')\nexcept OSError as e:\n  print('unreachable', e.errno)\n");

    assertThat(r.stdout()).isEqualTo("['lo']\nunreachable 101\n");
  }

  @Test
  void imageIsReadOnlyAndTheWorkDirectoryIsWritable() throws Exception {
    Run r =
        run(
            "import os\ntry:\n  open('/usr/evil', 'w')\nexcept OSError as e:\n  print('image', e.errno)\n"
                + "open('/work/out.txt', 'w').write('ok')\nprint(open('/work/out.txt').read())");

    assertThat(r.stdout()).isEqualTo("image 30\nok\n");
  }

  @Test
  void daemonizedChildrenDoNotOutliveTheStage() throws Exception {
    Run r =
        run(
            "import os, time\nif os.fork() == 0:\n  os.setsid()\n  if os.fork() == 0:\n    time.sleep(600)\n  os._exit(0)\n"
                + "print('parent done')");

    assertThat(r.stdout()).isEqualTo("parent done\n");
    assertThat(r.result().exitCode()).isZero();
  }

  @Test
  void everyFeatureOfThePolicyTookEffectAtStart() {
    RuntimeFacts facts = sandbox.facts();

    assertThat(facts.missing()).isEmpty();
    assertThat(facts.runtimeVersion()).contains(RUNTIME);
    assertThat(facts.features())
        .extracting(RuntimeFacts.Feature::name)
        .contains(
            "user namespace",
            "seccomp",
            "no_new_privs",
            "no capabilities",
            "tmpfs nr_inodes",
            "devpts max",
            "memory+swap limit",
            "pids limit",
            "tcp buffer limit");
    assertThat(facts.features())
        .filteredOn(f -> !f.name().equals("memory+swap limit"))
        .allSatisfy(f -> assertThat(f.effective()).as(f.toString()).isTrue());
  }

  @Test
  void everyRlimitIsSetFromThePolicyAndTheStage() throws Exception {
    Run r =
        run(
            "import resource as r\nfor n in ['NPROC', 'SIGPENDING', 'MEMLOCK', 'MSGQUEUE', 'RTPRIO', 'NICE', 'STACK',"
                + " 'NOFILE', 'CORE', 'FSIZE']:\n  print(n, *r.getrlimit(getattr(r, 'RLIMIT_' + n)))\n");

    SandboxPolicy.Rlimits p = sandbox.policy().rlimits();
    assertThat(r.stdout().lines())
        .containsExactly(
            "NPROC " + LIMITS.maxProcesses() + " " + LIMITS.maxProcesses(),
            "SIGPENDING " + p.sigpending() + " " + p.sigpending(),
            "MEMLOCK " + p.memlock() + " " + p.memlock(),
            "MSGQUEUE " + p.msgqueue() + " " + p.msgqueue(),
            "RTPRIO 0 0",
            "NICE 0 0",
            "STACK " + p.stack() + " " + p.stack(),
            "NOFILE " + p.nofile() + " " + p.nofile(),
            "CORE 0 0",
            "FSIZE " + LIMITS.fileSizeBytes() + " " + LIMITS.fileSizeBytes());
  }

  @Test
  void everyMaskedPathOfThePolicyThatTheHostHasIsAMountThatReadsEmptyOrDenied() throws Exception {
    List<String> declared = sandbox.policy().filesystem().maskedPaths();
    assertThat(declared)
        .contains("/proc/interrupts", "/sys/devices/system/cpu/cpu{cpu}/thermal_throttle");
    // Paths the host lacks (thermal_throttle on most VMs) the runtime skips: only the others
    // can be seen masked. /proc/interrupts is on every Linux host, so the list is never empty.
    List<String> present =
        hostPaths(declared).stream().filter(p -> Files.exists(Path.of(p))).toList();
    assertThat(present).contains("/proc/interrupts");

    Run r =
        run(
            "import os, sys\nmounts = {l.split()[4] for l in open('/proc/self/mountinfo')}\n"
                + "for p in sys.stdin.read().split():\n  try:\n"
                + "    seen = 'empty' if not (os.listdir(p) if os.path.isdir(p) else open(p, 'rb').read(64)) else 'CONTENT'\n"
                + "  except OSError:\n    seen = 'denied'\n  print(p, 'mounted' if p in mounts else 'NOT-MOUNTED', seen)\n",
            String.join("\n", present),
            LIMITS);

    assertThat(r.stdout().lines().map(l -> l.split(" ")[0]))
        .as(r.stderr())
        .containsExactlyElementsOf(present);
    assertThat(r.stdout().lines())
        .allSatisfy(l -> assertThat(l).matches("\\S+ mounted (empty|denied)"));
  }

  /**
   * The policy's paths with {@code {cpu}} expanded for each cpu of this host, as the runtime gets
   * them.
   */
  private static List<String> hostPaths(List<String> declared) throws IOException {
    List<String> cpus;
    try (var list = Files.list(Path.of("/sys/devices/system/cpu"))) {
      cpus =
          list.map(p -> p.getFileName().toString())
              .filter(n -> n.matches("cpu\\d+"))
              .map(n -> n.substring(3))
              .sorted()
              .toList();
    }
    return declared.stream()
        .flatMap(
            p ->
                p.contains("{cpu}")
                    ? cpus.stream().map(c -> p.replace("{cpu}", c))
                    : java.util.stream.Stream.of(p))
        .toList();
  }

  @Test
  void theContainersOwnPtyInstanceHoldsAtMostItsMax() throws Exception {
    Run r =
        run(
            "import os\nn = 0\nfds = []\ntry:\n  while n < 100:\n    fds.append(os.openpty()); n += 1\n"
                + "except OSError as e:\n  print('ptys', n, e.errno)\n");

    assertThat(r.stdout()).isEqualTo("ptys " + sandbox.policy().filesystem().devPtsMax() + " 28\n");
  }

  @Test
  void aStageReportsWhenItsContainerWasReadyWhenItsProgramStartedAndEndedAndWhatTheRuntimeCost()
      throws Exception {
    Instant before = Instant.now();
    Run r = run("print('hi')");
    Instant after = Instant.now();

    StageResult s = r.result();
    assertThat(s.readyAt()).isNotNull().isAfterOrEqualTo(before);
    assertThat(s.startedAt()).isNotNull().isAfterOrEqualTo(s.readyAt());
    assertThat(s.exitedAt()).isNotNull().isAfterOrEqualTo(s.startedAt()).isBeforeOrEqualTo(after);
    assertThat(s.sandboxCpuTime()).isNotNull().isPositive();
  }

  @Test
  void eachSlotsWorkDirectoryMapsToItsOwnHostIdRange() throws Exception {
    String program = "print(open('/proc/self/uid_map').read().split()[1])";
    try (WorkDir a = sandbox.createWorkDir("a", 1 << 20, 64);
        WorkDir b = sandbox.createWorkDir("b", 1 << 20, 64)) {
      long first =
          Long.parseLong(
              run(sandbox, a, program, "", LIMITS, PolicyOverride.none()).stdout().trim());
      long second =
          Long.parseLong(
              run(sandbox, b, program, "", LIMITS, PolicyOverride.none()).stdout().trim());

      assertThat(Math.abs(first - second))
          .isGreaterThanOrEqualTo(sandbox.policy().ids().rangeSize());
      assertThatThrownBy(() -> sandbox.createWorkDir("c", 1 << 20, 64))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("one per slot");
    }
  }

  @Test
  void aLanguageChangesItsResourcesAndTheOperatorHasTheLastWord() throws Exception {
    PolicyOverride language =
        PolicyOverride.parse(
            "{\"rlimits\": {\"nofile\": 64, \"sigpending\": 77}}",
            "lang",
            PolicyOverride.Scope.LANGUAGE);
    String program =
        "import resource as r\nprint(r.getrlimit(r.RLIMIT_NOFILE)[0], r.getrlimit(r.RLIMIT_SIGPENDING)[0])";
    assertThat(run(sandbox, program, "", LIMITS, language).stdout()).isEqualTo("64 77\n");

    Path otherState = Files.createTempDirectory("polyrun-sandbox-it-operator");
    PolicyOverride operator =
        PolicyOverride.parse(
            "{\"rlimits\": {\"nofile\": 100}, \"ids\": {\"base\": 1000000000}}",
            "operator",
            PolicyOverride.Scope.OPERATOR);
    try (Sandbox other =
        Sandbox.open(
            SandboxOptions.builder()
                .stateDirectory(otherState)
                .runtime(RUNTIME)
                .operatorPolicy(operator)
                .build())) {
      assertThat(run(other, program, "", LIMITS, language).stdout()).isEqualTo("100 77\n");
      assertThat(other.facts().hostIds()).isNotEqualTo(sandbox.facts().hostIds());
    }
    assertThat(Leftovers.of(otherState)).isEmpty();
    deleteFolder(otherState);
  }

  @Test
  void aWorkerWhoseFixedIdRangeIsTakenRefusesToStartAndSaysWhy() throws IOException {
    int taken = Integer.parseInt(sandbox.facts().hostIds().split("-")[0]);
    PolicyOverride fixed =
        PolicyOverride.parse(
            "{\"ids\": {\"base\": " + taken + ", \"search\": false}}",
            "operator",
            PolicyOverride.Scope.OPERATOR);
    Path otherState = Files.createTempDirectory("polyrun-sandbox-it-fixed");

    assertThatThrownBy(
            () ->
                Sandbox.open(
                    SandboxOptions.builder()
                        .stateDirectory(otherState)
                        .runtime(RUNTIME)
                        .operatorPolicy(fixed)
                        .build()))
        .isInstanceOf(SandboxUnavailableException.class)
        .hasMessageContaining("overlap")
        .hasMessageContaining(Integer.toString(taken));
    deleteFolder(otherState);
  }
}
