package dev.polyrun.worker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.TimeLimitKind;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.sandbox.SandboxPolicy;
import dev.polyrun.worker.it.WorkerHarness.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile programs through the real worker and sandbox. Each gets a verdict (never INTERNAL_ERROR)
 * and harms nothing: after each, nothing of the job is left on the host and the next job on the
 * same worker runs normally. The C programs are files in {@code src/test/resources/hostile/}.
 */
class HostileIT {
  private static WorkerHarness harness;

  @BeforeAll
  static void start() throws Exception {
    harness = new WorkerHarness();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @AfterEach
  void theWorkerIsUnharmed() throws Exception {
    assertThat(harness.leftovers()).isEmpty();
    Outcome next = harness.run("python", "print('next job')");
    assertThat(next.result().getVerdict()).isEqualTo(Verdict.VERDICT_OK);
    assertThat(next.stdout()).isEqualTo("next job\n");
  }

  private static Outcome hostile(String language, String source, Verdict... allowed)
      throws Exception {
    return hostile(WorkerHarness.program(language, source), allowed);
  }

  private static Outcome hostile(SubmitRequest request, Verdict... allowed) throws Exception {
    Outcome o = harness.run(request);
    assertThat(o.result().getVerdict())
        .as("verdict; stderr: %s; message: %s", o.stderr(), o.result().getMessage())
        .isIn((Object[]) allowed);
    return o;
  }

  private static SubmitRequest withRun(SubmitRequest r, Limits limits) {
    return r.toBuilder().setRunLimits(limits).build();
  }

  @Test
  void forkBombIsContained() throws Exception {
    hostile(
        withRun(
            WorkerHarness.program("c", WorkerHarness.resource("hostile/fork_bomb.c")),
            Limits.newBuilder().setWallTimeMs(2000).build()),
        Verdict.VERDICT_TIME_LIMIT_EXCEEDED);
  }

  @Test
  void threadBombIsContained() throws Exception {
    Outcome o =
        hostile(
            "python",
            "import threading, time\nn = 0\ntry:\n  while True:\n"
                + "    threading.Thread(target=time.sleep, args=(60,), daemon=True).start(); n += 1\n"
                + "except RuntimeError:\n  print('threads', n)\n",
            Verdict.VERDICT_OK);
    assertThat(Integer.parseInt(o.stdout().trim().split(" ")[1])).isLessThan(64);
  }

  @Test
  void daemonizedChildrenAreKilledWithTheStage() throws Exception {
    hostile(
        "python",
        "import os, time\nif os.fork() == 0:\n  os.setsid()\n  if os.fork() == 0:\n    time.sleep(600)\n"
            + "  os._exit(0)\nprint('parent leaves')",
        Verdict.VERDICT_OK);
  }

  @Test
  void heapBombIsAMemoryLimitVerdict() throws Exception {
    Outcome o =
        hostile(
            "python",
            "a = []\nwhile True: a.append(bytearray(1 << 20))",
            Verdict.VERDICT_MEMORY_LIMIT_EXCEEDED);
    assertThat(o.result().getRun().getPeakMemoryBytes()).isGreaterThan(200L << 20);
  }

  @Test
  void offHeapBombInCIsAMemoryLimitVerdict() throws Exception {
    hostile(
        "c", WorkerHarness.resource("hostile/heap_bomb.c"), Verdict.VERDICT_MEMORY_LIMIT_EXCEEDED);
  }

  @Test
  void javaMemoryOutsideItsHeapIsAMemoryLimitVerdict() throws Exception {
    hostile(
        "java",
        "import java.lang.reflect.Field;\npublic class Main { public static void main(String[] a) throws Exception {"
            + " Field f = sun.misc.Unsafe.class.getDeclaredField(\"theUnsafe\"); f.setAccessible(true);"
            + " sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null);"
            + " while (true) { long p = u.allocateMemory(1 << 20); for (long i = 0; i < (1 << 20); i += 4096) u.putByte(p + i, (byte) 1); } } }\n",
        Verdict.VERDICT_MEMORY_LIMIT_EXCEEDED);
  }

  @Test
  void stackOverflowIsARuntimeErrorWithItsSignal() throws Exception {
    Outcome o =
        hostile(
            "c",
            WorkerHarness.resource("hostile/stack_overflow.c"),
            Verdict.VERDICT_RUNTIME_ERROR,
            Verdict.VERDICT_MEMORY_LIMIT_EXCEEDED);
    if (o.result().getVerdict() == Verdict.VERDICT_RUNTIME_ERROR) {
      assertThat(o.result().getRun().getSignal()).isEqualTo(11);
    }
  }

  @Test
  void aFileStopsAtTheFileSizeLimitAndTheWorkDirectoryAtItsSize() throws Exception {
    Outcome o =
        hostile(
            "python",
            "def fill(path, cap):\n  n = 0\n  try:\n    with open(path, 'wb') as f:\n"
                + "      while n < cap:\n        f.write(b'x' * (1 << 20)); f.flush(); n += 1\n  except OSError as e:\n    return e.errno, n\n  return 0, n\n"
                + "print('file', *fill('/work/big', 1000))\n"
                + "i = 0\nwhile True:\n  err, n = fill('/work/part%d' % i, 8)\n  i += 1\n  if err:\n    print('dir', err, i)\n    break\n",
            Verdict.VERDICT_OK);
    assertThat(o.stdout()).startsWith("file 27 16\ndir 28 ");
  }

  @Test
  void fillingInodesStopsAtTheLimit() throws Exception {
    Outcome o =
        hostile(
            "python",
            "import os\nn = 0\ntry:\n  while True:\n    open('/tmp/f%d' % n, 'w').close(); n += 1\n"
                + "except OSError as e:\n  print('inodes', e.errno, n)\n",
            Verdict.VERDICT_OK);
    assertThat(o.stdout()).startsWith("inodes 28 ");
  }

  @Test
  void infiniteOutputIsCutAndKeepsWhatCameBefore() throws Exception {
    Outcome o =
        hostile(
            withRun(
                WorkerHarness.program("python", "print('first')\nwhile True: print('y' * 80)"),
                Limits.newBuilder().setOutputBytes(100_000).build()),
            Verdict.VERDICT_OUTPUT_LIMIT_EXCEEDED);
    assertThat(o.stdoutBytes()).hasSize(100_000);
    assertThat(o.stdout()).startsWith("first\nyyy");
    assertThat(o.result().getRun().getOutputTruncated()).isTrue();
  }

  @Test
  void spinningThreadsUseUpCpuTimeAndSayCpu() throws Exception {
    Outcome o =
        hostile(
            withRun(
                WorkerHarness.program("c", WorkerHarness.resource("hostile/spinning_threads.c")),
                Limits.newBuilder().setCpuTimeMs(1000).setWallTimeMs(10000).build()),
            Verdict.VERDICT_TIME_LIMIT_EXCEEDED);
    assertThat(o.result().getRun().getTimeLimitKind()).isEqualTo(TimeLimitKind.TIME_LIMIT_KIND_CPU);
    // stopped at its limit, not when the program would have ended (never); the slack is for a busy
    // host
    assertThat(o.result().getRun().getCpuTimeMs()).isBetween(1000L, 2000L);
  }

  @Test
  void sleepingPastTheWallLimitSaysWall() throws Exception {
    Outcome o =
        hostile(
            withRun(
                WorkerHarness.program("python", "import time\ntime.sleep(60)"),
                Limits.newBuilder().setWallTimeMs(1000).build()),
            Verdict.VERDICT_TIME_LIMIT_EXCEEDED);
    assertThat(o.result().getRun().getTimeLimitKind())
        .isEqualTo(TimeLimitKind.TIME_LIMIT_KIND_WALL);
    // stopped at its limit, not when the program would have ended (60 s); the slack is for a busy
    // host
    assertThat(o.result().getRun().getWallTimeMs()).isBetween(1000L, 3000L);
  }

  @Test
  void readingStdinMeetsItsEndInsteadOfWaiting() throws Exception {
    Outcome o = hostile("python", "import sys\nprint(len(sys.stdin.read()))", Verdict.VERDICT_OK);
    assertThat(o.stdout()).isEqualTo("0\n");
  }

  @Test
  void killingEveryProcessItCanSeeHurtsOnlyItself() throws Exception {
    hostile(
        "python",
        "import os, signal\ntry:\n  os.kill(-1, signal.SIGKILL)\nexcept OSError as e:\n  print(e)\n"
            + "print(sorted(p for p in os.listdir('/proc') if p.isdigit()))",
        Verdict.VERDICT_OK,
        Verdict.VERDICT_RUNTIME_ERROR);
  }

  @Test
  void signalsToItselfAreDeliveredAsToAnyProgram() throws Exception {
    Outcome o =
        hostile(
            "python",
            "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)",
            Verdict.VERDICT_RUNTIME_ERROR);
    assertThat(o.result().getRun().getSignal()).isEqualTo(11);
  }

  @Test
  void noNetworkReachesTheHostTheMetadataServiceOrDns() throws Exception {
    Outcome o =
        hostile(
            "python",
            "import socket\n"
                + "for host, port in [('127.0.0.1', 6379), ('127.0.0.1', 50051), ('169.254.169.254', 80), ('10.0.0.1', 22), ('8.8.8.8', 53)]:\n"
                + "  s = socket.socket(); s.settimeout(2)\n  try:\n    s.connect((host, port)); print('CONNECTED', host)\n"
                + "  except OSError as e:\n    print('no', host)\n"
                + "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ntry:\n  u.sendto(b'x', ('8.8.8.8', 53)); print('SENT')\n"
                + "except OSError:\n  print('no udp')\n"
                + "try:\n  socket.getaddrinfo('example.com', 80); print('RESOLVED')\nexcept OSError:\n  print('no dns')\n",
            Verdict.VERDICT_OK);
    assertThat(o.stdout())
        .doesNotContain("CONNECTED", "SENT", "RESOLVED")
        .contains("no udp", "no dns");
  }

  @Test
  void hostSecretsAndTheWorkersEnvironmentAreOutOfReach() throws Exception {
    Outcome o =
        hostile(
            "python",
            "import os\nprint(sorted(os.environ))\n"
                + "for p in ['/proc/1/environ', '/etc/shadow', '/root']:\n  try:\n    d = open(p, 'rb').read() if not os.path.isdir(p) else os.listdir(p)\n"
                + "    print(p, 'POLYRUN' in str(d) or 'REDIS' in str(d))\n  except OSError as e:\n    print(p, 'denied')\n"
                + "print(os.path.exists('/var/lib/polyrun'))",
            Verdict.VERDICT_OK);
    assertThat(o.stdout())
        .startsWith("['HOME', 'LANG', 'PATH', 'PYTHONDONTWRITEBYTECODE']\n")
        .doesNotContain("True")
        .contains("/etc/shadow denied");
  }

  @Test
  void writingOutsideTheWorkDirectoryFails() throws Exception {
    Outcome o =
        hostile(
            "python",
            "for p in ['/etc/passwd', '/usr/bin/x', '/x', '/proc/sys/kernel/hostname']:\n  try:\n"
                + "    open(p, 'w').write('pwned'); print('WROTE', p)\n  except OSError as e:\n    print('no', p)\n",
            Verdict.VERDICT_OK);
    assertThat(o.stdout()).doesNotContain("WROTE");
  }

  @Test
  void symlinksAndFifosLeftInTheWorkDirectoryAreNeverFollowed() throws Exception {
    hostile(
        "python",
        "import os\nos.symlink('/etc/shadow', '/work/link')\nos.symlink('/', '/work/root')\n"
            + "os.mkfifo('/work/fifo')\nos.mkfifo('/tmp/fifo')\nprint('planted')",
        Verdict.VERDICT_OK);
  }

  @Test
  void privilegedSystemCallsAreRefused() throws Exception {
    Outcome o =
        hostile("c", WorkerHarness.resource("hostile/privileged_calls.c"), Verdict.VERDICT_OK);
    // Numbers come from the architecture's own <sys/syscall.h>; EPERM (1) is the filter's answer.
    assertThat(o.stdout().lines())
        .hasSize(37)
        .allSatisfy(line -> assertThat(line).endsWith(" -1 1"));
  }

  @Test
  void thirtyTwoBitAndX32SystemCallsAreRefused() throws Exception {
    // A kernel refuses an i386 call by the filter's SIGSYS, or by SIGSEGV when it has no IA32
    // emulation at all; either way the call must not return a pid.
    Outcome i386 =
        hostile(
            "c",
            WorkerHarness.resource("hostile/i386_int80.c"),
            Verdict.VERDICT_OK,
            Verdict.VERDICT_RUNTIME_ERROR);
    if (i386.result().getVerdict() == Verdict.VERDICT_RUNTIME_ERROR) {
      assertThat(i386.result().getRun().getSignal())
          .as("refused by the filter (SIGSYS) or the kernel (SIGSEGV)")
          .isIn(31, 11);
      assertThat(i386.stdout()).isEmpty();
    } else if (!i386.stdout().equals("not x86_64\n")) {
      assertThat(Long.parseLong(i386.stdout().trim().split(" ")[1])).as(i386.stdout()).isNegative();
    }
    Outcome x32 =
        hostile(
            "c",
            WorkerHarness.resource("hostile/x32_syscall.c"),
            Verdict.VERDICT_OK,
            Verdict.VERDICT_RUNTIME_ERROR);
    if (x32.result().getVerdict() == Verdict.VERDICT_RUNTIME_ERROR) {
      assertThat(x32.result().getRun().getSignal()).as("killed by the filter").isEqualTo(31);
      assertThat(x32.stdout()).isEmpty();
    } else if (!x32.stdout().equals("not x86_64\n")) {
      assertThat(Long.parseLong(x32.stdout().trim().split(" ")[1])).as(x32.stdout()).isNegative();
    }
  }

  @Test
  void rawPacketAndVsockSocketsAreRefused() throws Exception {
    Outcome o =
        hostile(
            "python",
            "import socket\nfor fam, typ in [(socket.AF_INET, socket.SOCK_RAW), (socket.AF_INET6, socket.SOCK_RAW),"
                + " (socket.AF_PACKET, socket.SOCK_RAW), (40, socket.SOCK_STREAM)]:\n  try:\n    socket.socket(fam, typ, 1 if typ == socket.SOCK_RAW else 0); print('OPENED')\n"
                + "  except OSError as e:\n    print('refused', e.errno)\n",
            Verdict.VERDICT_OK);
    assertThat(o.stdout()).doesNotContain("OPENED");
  }

  @Test
  void refusedSocketFamiliesStayRefusedWithBitsInTheUpperHalfOfTheArguments() throws Exception {
    Outcome o =
        hostile(
            "c", WorkerHarness.resource("hostile/socket_families_high_bits.c"), Verdict.VERDICT_OK);
    List<String> lines = o.stdout().lines().toList();
    assertThat(lines).hasSize(6 * 4 * 2).allSatisfy(line -> assertThat(line).contains(" refused "));
    // The kernel itself would open vsock and AF_ALG sockets (or say EAFNOSUPPORT): EPERM is the
    // filter's answer.
    assertThat(lines)
        .filteredOn(line -> line.startsWith("vsock") || line.startsWith("alg"))
        .hasSize(3 * 4 * 2)
        .allSatisfy(line -> assertThat(line).endsWith(" refused 1"));
  }

  @Test
  void tcpBuffersHeldOverTheJobsOwnLoopbackCountAgainstItsMemoryLimit() throws Exception {
    // Socket buffers are kernel memory outside the program's pages: a job that fills them over
    // its loopback must meet its memory limit (cgroup v1: the TCP limit the sandbox sets; v2: the
    // memory limit itself) rather than hold host memory.
    long limit = 32L << 20;
    SubmitRequest request =
        WorkerHarness.program("c", WorkerHarness.resource("hostile/tcp_buffers.c")).toBuilder()
            .addArgs(Long.toString(2 * limit))
            .setRunLimits(Limits.newBuilder().setMemoryBytes(limit))
            .build();
    Outcome o = hostile(request, Verdict.VERDICT_MEMORY_LIMIT_EXCEEDED);
    assertThat(o.stdout()).doesNotContain("HELD");
    if (o.stdout().startsWith("STUCK ")) {
      assertThat(Long.parseLong(o.stdout().trim().split(" ")[1])).isLessThanOrEqualTo(limit);
    }
  }

  @Test
  void callsTheAllowListDoesNotNameAreRefusedAndCallsNewerThanItAreEnosys() throws Exception {
    Outcome o =
        hostile("c", WorkerHarness.resource("hostile/newer_system_calls.c"), Verdict.VERDICT_OK);
    // EPERM (1) is the filter's default; ENOSYS (38) its answer above the newest call it names,
    // where the kernel alone would have run the call (463) or said ENOSYS itself (1000).
    String unlisted =
        switch (System.getProperty("os.arch")) {
          case "amd64", "x86_64" -> "unlisted 184 -1 1";
          case "aarch64" -> "unlisted 244 -1 1";
          default -> null;
        };
    List<String> expected =
        unlisted == null
            ? List.of("newer 463 -1 38", "unknown 1000 -1 38")
            : List.of(unlisted, "newer 463 -1 38", "unknown 1000 -1 38");
    assertThat(o.stdout().lines()).containsExactlyElementsOf(expected);
  }

  @Test
  void theJobsPseudoTerminalsStopAtTheMaxOfItsOwnDevpts() throws Exception {
    Outcome o =
        hostile("python", WorkerHarness.resource("hostile/pty_pool.py"), Verdict.VERDICT_OK);
    // ENOSPC (28) from the container's own devpts instance, not the host's pool.
    assertThat(o.stdout())
        .isEqualTo("ptys " + harness.worker.sandboxPolicy().filesystem().devPtsMax() + " 28\n");
  }

  @Test
  void everyRlimitComesFromThePolicyAndTheJobsLimitsNotFromTheWorker() throws Exception {
    Limits run = Limits.newBuilder().setMaxProcesses(21).setFileSizeBytes(3 << 20).build();
    Outcome o =
        hostile(
            withRun(
                WorkerHarness.program("python", WorkerHarness.resource("hostile/rlimits.py")), run),
            Verdict.VERDICT_OK);

    SandboxPolicy.Rlimits p = harness.worker.sandboxPolicy().rlimits();
    assertThat(o.stdout().lines())
        .containsExactly(
            "NPROC 21 21",
            "SIGPENDING " + p.sigpending() + " " + p.sigpending(),
            "MEMLOCK " + p.memlock() + " " + p.memlock(),
            "MSGQUEUE " + p.msgqueue() + " " + p.msgqueue(),
            "RTPRIO " + p.rtprio() + " " + p.rtprio(),
            "NICE " + p.nice() + " " + p.nice(),
            "STACK " + p.stack() + " " + p.stack(),
            "NOFILE " + p.nofile() + " " + p.nofile(),
            "CORE " + p.core() + " " + p.core(),
            "FSIZE " + (3 << 20) + " " + (3 << 20));
  }

  @Test
  void everyMaskedPathOfThePolicyThatTheHostHasReadsEmptyOrDenied() throws Exception {
    List<String> declared = harness.worker.sandboxPolicy().filesystem().maskedPaths();
    assertThat(declared)
        .contains("/proc/interrupts", "/sys/devices/system/cpu/cpu{cpu}/thermal_throttle");
    // The runtime skips paths the host lacks (thermal_throttle on most VMs); /proc/interrupts
    // is on every Linux host, so what is checked is never nothing.
    List<String> present =
        hostPaths(declared).stream().filter(p -> Files.exists(Path.of(p))).toList();
    assertThat(present).contains("/proc/interrupts");
    SubmitRequest request =
        WorkerHarness.program("python", WorkerHarness.resource("hostile/masked_paths.py"))
            .toBuilder()
            .addAllArgs(present)
            .build();

    Outcome o = hostile(request, Verdict.VERDICT_OK);

    assertThat(o.stdout().lines().map(l -> l.split(" ")[0])).containsExactlyElementsOf(present);
    assertThat(o.stdout().lines())
        .allSatisfy(l -> assertThat(l).matches("\\S+ mounted (empty|denied)"));
  }

  /**
   * The policy's paths with {@code {cpu}} expanded for each cpu of this host, as the runtime gets
   * them.
   */
  private static List<String> hostPaths(List<String> declared) throws IOException {
    List<String> cpus;
    try (Stream<Path> list = Files.list(Path.of("/sys/devices/system/cpu"))) {
      cpus =
          list.map(p -> p.getFileName().toString())
              .filter(n -> n.matches("cpu\\d+"))
              .map(n -> n.substring(3))
              .toList();
    }
    return declared.stream()
        .flatMap(
            p -> p.contains("{cpu}") ? cpus.stream().map(c -> p.replace("{cpu}", c)) : Stream.of(p))
        .toList();
  }

  @Test
  void noSetuidBinaryExistsInTheImage() throws Exception {
    Outcome o =
        hostile(
            "python",
            "import os, stat\nfound = []\nfor root, dirs, files in os.walk('/usr'):\n  for f in files:\n"
                + "    p = os.path.join(root, f)\n    try:\n      if os.lstat(p).st_mode & (stat.S_ISUID | stat.S_ISGID): found.append(p)\n"
                + "    except OSError: pass\nprint(found)",
            Verdict.VERDICT_OK);
    assertThat(o.stdout()).isEqualTo("[]\n");
  }

  @Test
  void runningOutOfFileDescriptorsEndsCleanly() throws Exception {
    Outcome o =
        hostile(
            "python",
            "fs = []\ntry:\n  while True: fs.append(open('/dev/null'))\nexcept OSError as e:\n  print('fds', e.errno, len(fs))\n",
            Verdict.VERDICT_OK);
    assertThat(o.stdout()).startsWith("fds 24 ");
  }

  @Test
  void includingDevRandomIsACompileErrorNotAHang() throws Exception {
    hostile(
        WorkerHarness.program("c", WorkerHarness.resource("hostile/include_dev_random.c"))
            .toBuilder()
            .setCompileLimits(Limits.newBuilder().setWallTimeMs(3000))
            .build(),
        Verdict.VERDICT_COMPILE_ERROR);
  }

  @Test
  void aHugeStaticArrayIsACompileErrorOrALimitNotACrash() throws Exception {
    hostile(
        "c",
        WorkerHarness.resource("hostile/huge_static_array.c"),
        Verdict.VERDICT_COMPILE_ERROR,
        Verdict.VERDICT_RUNTIME_ERROR,
        Verdict.VERDICT_MEMORY_LIMIT_EXCEEDED);
  }

  @Test
  void binaryAndInvalidUtf8OutputArrivesByteExact() throws Exception {
    Outcome o =
        hostile(
            "python",
            "import sys\nsys.stdout.buffer.write(bytes(range(256)) + b'\\xff\\xfe\\xc3\\x28')",
            Verdict.VERDICT_OK);
    byte[] expected = new byte[260];
    for (int i = 0; i < 256; i++) {
      expected[i] = (byte) i;
    }
    expected[256] = (byte) 0xff;
    expected[257] = (byte) 0xfe;
    expected[258] = (byte) 0xc3;
    expected[259] = 0x28;
    assertThat(o.stdoutBytes()).isEqualTo(expected);
  }

  @Test
  void filesLeftByOneJobAreInvisibleToTheNext() throws Exception {
    hostile(
        "python",
        "for p in ['/tmp/mark', '/dev/shm/mark', '/work/mark']:\n  open(p, 'w').write('secret')\nprint('left')",
        Verdict.VERDICT_OK);
    Outcome o =
        hostile(
            "python",
            "import os\nprint([p for p in ['/tmp/mark', '/dev/shm/mark', '/work/mark'] if os.path.exists(p)])",
            Verdict.VERDICT_OK);
    assertThat(o.stdout()).isEqualTo("[]\n");
  }

  @Test
  void javaGoAndPythonMultiprocessingRunUnderTheDefaults() throws Exception {
    assertThat(
            hostile(
                    "java",
                    "public class Main { public static void main(String[] a) { System.out.println(\"hi from java\"); } }",
                    Verdict.VERDICT_OK)
                .stdout())
        .isEqualTo("hi from java\n");
    assertThat(
            hostile(
                    "go",
                    "package main\nimport (\"fmt\"; \"sync\")\nfunc main() { var w sync.WaitGroup; s := make([]int, 8)\n"
                        + "for i := 0; i < 8; i++ { w.Add(1); go func(i int) { defer w.Done(); s[i] = i * i }(i) }\nw.Wait(); fmt.Println(s) }\n",
                    Verdict.VERDICT_OK)
                .stdout())
        .isEqualTo("[0 1 4 9 16 25 36 49]\n");
    assertThat(
            hostile(
                    "python",
                    "from multiprocessing import Pool\nif __name__ == '__main__':\n  with Pool(4) as p:\n"
                        + "    print(p.map(abs, [-1, -2, 3]))",
                    Verdict.VERDICT_OK)
                .stdout())
        .isEqualTo("[1, 2, 3]\n");
  }

  static List<String> lines(String s) {
    return Arrays.asList(s.split("\n"));
  }

  static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
