package dev.polyrun.sandbox.internal;

import dev.polyrun.config.StageLimits;
import dev.polyrun.sandbox.OutputListener;
import dev.polyrun.sandbox.SandboxOptions;
import dev.polyrun.sandbox.StageResult;
import dev.polyrun.sandbox.StageSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Measures the sandbox's overhead per language: each language's hello-world sample run bare (the
 * same image and files, only chrooted, no namespaces, cgroup or seccomp) and through the sandbox,
 * many times each. Reports p50 and p99 of the whole run, of the time to the program's first output
 * (container start to program start), of the sandbox's set-up and clean-up, and of the cpu time the
 * runtime itself spent per stage.
 *
 * <p>Cpu per stage is measured three ways: what the stage reports as the program's own, what the
 * sandbox's processes cost beside it ({@link StageResult#sandboxCpuTime}), and, over all runs, the
 * cpu of every process the worker started and reaped (the runtime, what it forked, the program) and
 * of the worker's JVM itself, from {@code /proc/self/stat}; bare runs likewise.
 *
 * <p>Usage: {@code bin/bench-sandbox [--runs N] [--images DIR] [--runtime polyrun-launcher|runc]
 * [LANGUAGE...]}. Needs root.
 */
public final class SandboxBenchmark {
  private final RuncSandbox sandbox;
  private final int runs;

  private SandboxBenchmark(RuncSandbox sandbox, int runs) {
    this.sandbox = sandbox;
    this.runs = runs;
  }

  public static void main(String[] args) throws Exception {
    int runs = 50;
    String runtime = SandboxOptions.builder().build().runtime();
    Path images =
        Path.of(System.getenv().getOrDefault("POLYRUN_IMAGE_DIR", "/var/lib/polyrun/images"));
    Path samples = Path.of("images");
    List<String> only = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--images" -> images = Path.of(args[++i]);
        case "--samples" -> samples = Path.of(args[++i]);
        case "--runtime" -> runtime = args[++i];
        default -> only.add(args[i]);
      }
    }
    Path state = Files.createTempDirectory("polyrun-bench");
    SandboxBenchmark bench =
        new SandboxBenchmark(
            RuncSandbox.open(
                SandboxOptions.builder().stateDirectory(state).runtime(runtime).build()),
            runs);
    System.out.printf(
        Locale.ROOT,
        "%d runs per language and mode; milliseconds; %s%n%n",
        runs,
        bench.sandbox.facts().describe().lines().findFirst().orElse(""));
    System.out.println(
        "| language | bare p50 | bare p99 | sandbox p50 | sandbox p99 | overhead p50 | first output bare/sandbox p50"
            + " | set-up p50 | clean-up p50 / p99 | reported wall / cpu p50 | sandbox cpu p50 | children cpu bare / sandbox"
            + " | worker JVM cpu |");
    System.out.println("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    List<Path> languages;
    // each language's default version: <images>/languages/<name>/<version>/current, images/build's
    // layout, or <images>/<name>/current, the single-version one
    Path versioned = images.resolve("languages");
    try (Stream<Path> dirs = Files.list(Files.isDirectory(versioned) ? versioned : images)) {
      languages = dirs.sorted().toList();
    }
    for (Path language : languages) {
      String name = language.getFileName().toString();
      Path dir =
          Files.exists(language.resolve("current/.complete")) ? language : defaultVersion(language);
      if (dir != null && (only.isEmpty() || only.contains(name))) {
        try {
          System.out.println(bench.measure(dir.resolve("current"), samples.resolve(name)));
        } catch (IOException | RuntimeException e) {
          System.out.println("| " + name + " | failed: " + e.getMessage() + " |");
        }
      }
    }
    bench.sandbox.close();
  }

  /** The folder of the default version of a language folder of images/build's layout, or null. */
  private static Path defaultVersion(Path language) {
    try (Stream<Path> versions = Files.list(language)) {
      List<Path> complete =
          versions.filter(v -> Files.exists(v.resolve("current/.complete"))).sorted().toList();
      for (Path v : complete) {
        if (Files.readString(v.resolve("current/language.json"))
            .matches("(?s).*\"default\"\\s*:\\s*true.*")) {
          return v;
        }
      }
      return complete.isEmpty() ? null : complete.get(0);
    } catch (IOException e) {
      return null;
    }
  }

  private String measure(Path image, Path sampleDir) throws Exception {
    LanguageSample def = LanguageSample.load(image.resolve("language.json"));
    Path rootfs = image.resolve("rootfs").toRealPath();
    String ext = def.sourceFile().substring(def.sourceFile().lastIndexOf('.'));
    byte[] source = Files.readAllBytes(sampleDir.resolve("hello" + ext));
    StageLimits limits =
        new StageLimits(
            Duration.ofSeconds(30), Duration.ofSeconds(60), 1L << 30, 256, 1 << 20, 64 << 20);
    try (TmpfsWorkDir work =
        (TmpfsWorkDir) sandbox.createWorkDir("bench-" + def.name(), 256 << 20, 4096)) {
      work.write(def.sourceFile(), source);
      if (def.compiled()) {
        StageResult compiled =
            sandbox.run(
                spec("bench-compile-" + def.name(), rootfs, work, def.compile(), def, limits),
                OutputListener.discard());
        if (!compiled.succeeded()) {
          return "| " + def.name() + " | compile failed: " + compiled + " |";
        }
      }
      Samples bare = new Samples();
      Samples boxed = new Samples();
      Samples firstBare = new Samples();
      Samples firstBoxed = new Samples();
      Samples setup = new Samples();
      Samples cleanup = new Samples();
      Samples runtimeCpu = new Samples();
      Samples reportedWall = new Samples();
      Samples reportedCpu = new Samples();
      Path host = work.sealForStage();
      long bareChildren = 0;
      long boxedChildren = 0;
      long boxedSelf = 0;
      for (int i = 0; i < runs; i++) {
        long[] before = cpuTicks();
        long t0 = System.nanoTime();
        long first = bareRun(rootfs, host, def.run(), def.env(), work.ids().hostId(1000));
        bare.add(System.nanoTime() - t0);
        firstBare.add(first - t0);
        long[] between = cpuTicks();
        bareChildren += between[1] - before[1];
        long[] firstOut = {0};
        t0 = System.nanoTime();
        StageResult r =
            sandbox.run(
                spec(
                    "bench-" + def.name() + "-" + i,
                    rootfs,
                    work,
                    def.withInit(rootfs, def.run()),
                    def,
                    limits),
                new OutputListener() {
                  @Override
                  public void stdout(byte[] chunk) {
                    if (firstOut[0] == 0) {
                      firstOut[0] = System.nanoTime();
                    }
                  }

                  @Override
                  public void stderr(byte[] chunk) {}
                });
        boxed.add(System.nanoTime() - t0);
        firstBoxed.add(firstOut[0] - t0);
        long[] after = cpuTicks();
        boxedChildren += after[1] - between[1];
        boxedSelf += after[0] - between[0];
        reportedWall.add(r.wallTime().toNanos());
        reportedCpu.add(r.cpuTime().toNanos());
        setup.add(r.setupTime().toNanos());
        cleanup.add(r.cleanupTime().toNanos());
        if (r.sandboxCpuTime() != null) {
          runtimeCpu.add(r.sandboxCpuTime().toNanos());
        }
        if (!r.succeeded()) {
          return "| " + def.name() + " | sandboxed run failed: " + r + " |";
        }
      }
      double tick = 1000.0 / TICKS_PER_SECOND / runs;
      return String.format(
          Locale.ROOT,
          "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f / %.1f | %.1f | %.1f / %.1f | %.1f / %.1f | %.1f | %.1f / %.1f | %.1f |",
          def.name(),
          bare.p(50),
          bare.p(99),
          boxed.p(50),
          boxed.p(99),
          boxed.p(50) - bare.p(50),
          firstBare.p(50),
          firstBoxed.p(50),
          setup.p(50),
          cleanup.p(50),
          cleanup.p(99),
          reportedWall.p(50),
          reportedCpu.p(50),
          runtimeCpu.p(50),
          bareChildren * tick,
          boxedChildren * tick,
          boxedSelf * tick);
    }
  }

  private static StageSpec spec(
      String name,
      Path rootfs,
      TmpfsWorkDir work,
      List<String> argv,
      LanguageSample def,
      StageLimits limits) {
    return new StageSpec(name, rootfs, work, argv, def.env(), new byte[0], limits, () -> false)
        .withLanguagePolicy(def.policy());
  }

  /**
   * Runs the program chrooted into the image with the work directory bound at /work; returns when
   * its first output came.
   */
  private static long bareRun(
      Path rootfs, Path work, List<String> argv, Map<String, String> env, int uid)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "unshare",
                "--mount",
                "--",
                "sh",
                "-c",
                "mount --bind \"$0\" \"$1/work\" && mount --rbind /proc \"$1/proc\" && mount --rbind /dev \"$1/dev\""
                    + " && mount -t tmpfs tmpfs \"$1/tmp\" && u=\"$2\" && cd \"$1\" && shift 2 && exec chroot --userspec=\"$u\" . /usr/bin/env -i \"$@\"",
                work.toString(),
                rootfs.toString(),
                uid + ":" + uid));
    env.forEach((k, v) -> command.add(k + "=" + v));
    command.addAll(List.of("/bin/sh", "-c", "cd /work && exec \"$@\"", "sh"));
    command.addAll(argv);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    long first = 0;
    try (InputStream in = p.getInputStream()) {
      byte[] buf = new byte[8192];
      while (in.read(buf) >= 0) {
        if (first == 0) {
          first = System.nanoTime();
        }
      }
    }
    if (p.waitFor() != 0) {
      throw new IOException("bare run failed: " + command);
    }
    return first;
  }

  private static final int TICKS_PER_SECOND = 100;

  /**
   * This process's own cpu and that of the children it reaped (with what they reaped), in clock
   * ticks (USER_HZ, 100 on Linux).
   */
  private static long[] cpuTicks() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields 14-17 of proc(5): utime, stime, cutime, cstime; f[0] is field 3
    return new long[] {
      Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])
    };
  }

  /** Durations in nanoseconds; percentiles in milliseconds. */
  private static final class Samples {
    private long[] values = new long[16];
    private int size;

    void add(long nanos) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = nanos;
    }

    double p(int percentile) {
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      int index = (int) Math.ceil(percentile / 100.0 * size) - 1;
      return sorted[Math.max(0, index)] / 1e6;
    }
  }
}
