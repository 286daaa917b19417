package dev.polyrun.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.sandbox.StageResult.Termination;
import dev.polyrun.sandbox.internal.RuncSandbox;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Programs run in real runc containers from the real python image; each ends with a verdict and leaves nothing. */
class RuncSandboxIT {
  private static final StageLimits LIMITS =
      new StageLimits(Duration.ofSeconds(2), Duration.ofSeconds(3), 128L << 20, 32, 64 << 10, 1 << 20);
  private static Path python;
  private static RuncSandbox sandbox;
  private static Path state;
  private static int counter;

  @BeforeAll
  static void setUp() throws IOException {
    Path images = Path.of(System.getProperty("polyrun.images.dir", "/var/lib/polyrun/images"));
    python = images.resolve("python/current/rootfs");
    if (!Files.exists(images.resolve("python/current/.complete"))) {
      throw new IllegalStateException("python image not built in " + images + "; run images/build python");
    }
    python = python.toRealPath();
    state = Files.createTempDirectory("polyrun-sandbox-it");
    sandbox = new RuncSandbox(SandboxOptions.builder().stateDirectory(state).build());
  }

  @AfterEach
  void nothingIsLeftBehind() throws IOException {
    try (Stream<Path> work = Files.list(state.resolve("work")); Stream<Path> bundles = Files.list(state.resolve("bundles"))) {
      assertThat(work.toList()).isEmpty();
      assertThat(bundles.toList()).isEmpty();
    }
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(state.toString());
    String instance = RuncSandbox.instanceName(state);
    Path v1 = Path.of("/sys/fs/cgroup/pids/polyrun", instance);
    Path v2 = Path.of("/sys/fs/cgroup/polyrun", instance);
    for (Path parent : List.of(v1, v2)) {
      if (Files.isDirectory(parent)) {
        try (Stream<Path> left = Files.list(parent)) {
          assertThat(left.filter(Files::isDirectory).map(Path::getFileName).map(Path::toString))
              .isEmpty();
        }
      }
    }
  }

  record Run(StageResult result, String stdout, String stderr) {}

  private static Run run(String program, String stdin, StageLimits limits) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    StageResult result;
    try (WorkDir dir = sandbox.createWorkDir("it", 16 << 20, 256)) {
      dir.write("main.py", program.getBytes(StandardCharsets.UTF_8));
      Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "HOME", "/tmp", "LANG", "C.UTF-8");
      StageSpec spec = new StageSpec("it-" + (++counter) + "-" + ProcessHandle.current().pid(), python, dir,
          List.of("python3", "main.py"), env, stdin.getBytes(StandardCharsets.UTF_8), limits, () -> false);
      result = sandbox.run(spec, new OutputListener() {
        @Override
        public synchronized void stdout(byte[] chunk) {
          out.writeBytes(chunk);
        }

        @Override
        public synchronized void stderr(byte[] chunk) {
          err.writeBytes(chunk);
        }
      });
    }
    return new Run(result, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Run run(String program) throws Exception {
    return run(program, "", LIMITS);
  }

  @Test
  void programReadsStdinAndExitsWithItsCode() throws Exception {
    Run r = run("import sys\nprint(sys.stdin.read().strip()[::-1])\nsys.exit(3)", "olleh\n", LIMITS);

    assertThat(r.stdout()).isEqualTo("hello\n");
    assertThat(r.result().termination()).isEqualTo(Termination.EXITED);
    assertThat(r.result().exitCode()).isEqualTo(3);
    assertThat(r.result().cpuTime()).isPositive();
  }

  @Test
  void programRunsAsAnUnprivilegedUserWithNoCapabilities() throws Exception {
    Run r = run("import os\nprint(os.getuid(), os.getgid())\n"
        + "print([l for l in open('/proc/self/status') if l.startswith('CapEff')][0].split()[1])");

    assertThat(r.stdout()).isEqualTo("1000 1000\n0000000000000000\n");
  }

  @Test
  void processRunsWithNoNewPrivsSeccompNoCoreDumpsAndItsOwnHostname() throws Exception {
    Run r = run("import resource, socket\nst = dict(l.split(':', 1) for l in open('/proc/self/status'))\n"
        + "print(st['NoNewPrivs'].strip(), st['Seccomp'].strip(), resource.getrlimit(resource.RLIMIT_CORE), socket.gethostname())\n"
        + "def masked(p):\n  try:\n    return open(p, 'rb').read(16) == b''\n  except OSError:\n    return True\n"
        + "print(masked('/proc/kcore'), masked('/proc/keys'), masked('/proc/timer_list'))\n"
        + "print(sorted(p for p in __import__('os').listdir('/proc') if p.isdigit()))");

    assertThat(r.stdout()).isEqualTo("1 2 (0, 0) sandbox\nTrue True True\n['1']\n");
  }

  @Test
  void cpuQuotaHoldsManyThreadsToOneCore() throws Exception {
    Run r = run("import threading, time\ndef spin():\n  end = time.time() + 1.5\n  while time.time() < end: pass\n"
        + "ts = [threading.Thread(target=spin) for _ in range(2)]\n[t.start() for t in ts]\n[t.join() for t in ts]\n",
        "", new StageLimits(Duration.ofSeconds(10), Duration.ofSeconds(10), 128L << 20, 32, 64 << 10, 1 << 20));

    assertThat(r.result().termination()).isEqualTo(Termination.EXITED);
    assertThat(r.result().cpuTime()).as("two spinning threads for 1.5 s under a one-core quota")
        .isBetween(Duration.ofMillis(1300), Duration.ofMillis(1700));
  }

  @Test
  void cpuSpinIsStoppedAtTheCpuLimit() throws Exception {
    Run r = run("while True: pass");

    assertThat(r.result().termination()).isEqualTo(Termination.CPU_TIME_LIMIT);
    assertThat(r.result().cpuTime()).isBetween(Duration.ofMillis(2000), Duration.ofMillis(2100));
  }

  @Test
  void sleepingIsStoppedAtTheWallLimit() throws Exception {
    Run r = run("import time\ntime.sleep(60)");

    assertThat(r.result().termination()).isEqualTo(Termination.WALL_TIME_LIMIT);
    assertThat(r.result().wallTime()).isBetween(Duration.ofMillis(3000), Duration.ofMillis(3300));
  }

  @Test
  void memoryBombEndsAsMemoryLimit() throws Exception {
    Run r = run("a = []\nwhile True: a.append(bytearray(1 << 20))");

    assertThat(r.result().termination()).isEqualTo(Termination.MEMORY_LIMIT);
    assertThat(r.result().peakMemoryBytes()).isLessThanOrEqualTo(128L << 20).isGreaterThan(100L << 20);
  }

  @Test
  void forkBombIsContainedByThePidsLimit() throws Exception {
    Run r = run("import os\nn = 0\nwhile True:\n  try:\n    if os.fork() == 0:\n      import time; time.sleep(60)\n    n += 1\n"
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
    Run r = run("import socket\nprint(sorted(n for _, n in socket.if_nameindex()))\n"
        + "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
        + "try:\n  s.connect(('1.1.1.1', 53)); print('routed')\nexcept OSError as e:\n  print('unreachable', e.errno)\n");

    assertThat(r.stdout()).isEqualTo("['lo']\nunreachable 101\n");
  }

  @Test
  void imageIsReadOnlyAndTheWorkDirectoryIsWritable() throws Exception {
    Run r = run("import os\ntry:\n  open('/usr/evil', 'w')\nexcept OSError as e:\n  print('image', e.errno)\n"
        + "open('/work/out.txt', 'w').write('ok')\nprint(open('/work/out.txt').read())");

    assertThat(r.stdout()).isEqualTo("image 30\nok\n");
  }

  @Test
  void dangerousSystemCallsAreRefused() throws Exception {
    Run r = run("import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        + "for name, nr in [('unshare', 272), ('keyctl', 250), ('io_uring_setup', 425), ('ptrace', 101), ('bpf', 321)]:\n"
        + "  rc = libc.syscall(nr, 0, 0, 0, 0)\n  print(name, rc, ctypes.get_errno())\n");

    assertThat(r.stdout()).isEqualTo("unshare -1 1\nkeyctl -1 1\nio_uring_setup -1 1\nptrace -1 1\nbpf -1 1\n");
  }

  @Test
  void daemonizedChildrenDoNotOutliveTheStage() throws Exception {
    Run r = run("import os, time\nif os.fork() == 0:\n  os.setsid()\n  if os.fork() == 0:\n    time.sleep(600)\n  os._exit(0)\n"
        + "print('parent done')");

    assertThat(r.stdout()).isEqualTo("parent done\n");
    assertThat(r.result().exitCode()).isZero();
  }
}
