package dev.polyrun.client.cli;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.Comparator;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.TestCase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options of {@code polyrun run} that shape the request: limits, arguments, test cases. */
final class RunOptions {
  @Option(
      names = "--time",
      paramLabel = "DURATION",
      converter = Quantities.DurationConverter.class,
      description =
          "Wall-clock limit of the run (each test case's): 2s, 500ms, 1.5m (default: the config file's"
              + " time, else the language's).")
  Duration wallTime;

  @Option(
      names = "--cpu-time",
      paramLabel = "DURATION",
      converter = Quantities.DurationConverter.class,
      description =
          "CPU time limit of the run, all threads together (default: the config file's cpu-time, else"
              + " the language's).")
  Duration cpuTime;

  @Option(
      names = "--memory",
      paramLabel = "SIZE",
      converter = Quantities.SizeConverter.class,
      description =
          "Memory limit of the run: 256m, 1g, 64k; bytes without a unit (default: the config file's"
              + " memory, else the language's).")
  Long memoryBytes;

  @Option(
      names = "--clamp",
      description =
          "Lower limits above the cluster's maxima to the maxima instead of"
              + " failing with INVALID_ARGUMENT.")
  boolean clamp;

  @Option(
      names = "--arg",
      paramLabel = "ARG",
      description =
          "An argument for the program; repeat for more, in order (passed as a list, never through a shell).")
  List<String> programArgs = new ArrayList<>();

  @Option(
      names = "--compile-option",
      paramLabel = "OPT",
      description = "An extra compiler argument, e.g. --compile-option=-O0; repeat for more.")
  List<String> compileOptions = new ArrayList<>();

  @Option(
      names = "--tests",
      paramLabel = "DIR",
      description =
          "Judge the program against the test cases in DIR (NAME.in and NAME.out): print a table of"
              + " verdicts and times, exit 0 only when every case passes.")
  String testsDir;

  @Option(
      names = "--comparator",
      paramLabel = "HOW",
      defaultValue = "exact",
      description =
          "With --tests: exact, trailing-whitespace (ignore trailing spaces and blank lines) or"
              + " numbers (numeric tokens within --tolerance); default exact.")
  String comparator;

  @Option(
      names = "--tolerance",
      paramLabel = "X",
      defaultValue = "0",
      description = "With --comparator numbers: the absolute difference allowed; default 0.")
  double tolerance;

  @Option(
      names = "--stop-on-first-failure",
      description = "With --tests: stop after the first case that fails.")
  boolean stopOnFirstFailure;

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description =
          "Submit at most once: a retry with the same key (within the cluster's retention) returns the"
              + " first submission's job instead of running the program again.")
  String idempotencyKey;

  /** The request, with the config file's limits where no option set one. */
  ExecuteRequest request(
      String language,
      List<SourceFile> sources,
      ByteString stdin,
      CliConfig config,
      java.nio.file.Path cwd) {
    ExecuteRequest.Builder r =
        ExecuteRequest.newBuilder()
            .setLanguage(language)
            .addAllFiles(sources)
            .setEntryFile(sources.get(0).getPath())
            .setStdin(stdin)
            .addAllArgs(programArgs)
            .addAllCompileOptions(compileOptions)
            .setRunLimits(limits(config))
            .setClampLimits(clamp)
            .setCancelOnDisconnect(true);
    if (idempotencyKey != null) {
      r.setIdempotencyKey(idempotencyKey);
    }
    if (testsDir != null) {
      List<TestCase> cases = TestCaseFiles.read(cwd.resolve(testsDir), comparator(), tolerance);
      r.addAllTestCases(cases).setStopOnFirstFailure(stopOnFirstFailure);
    }
    return r.build();
  }

  private Limits limits(CliConfig config) {
    Limits.Builder limits = Limits.newBuilder();
    Duration wall =
        wallTime != null
            ? wallTime
            : config.get("time").map(t -> fromConfig(config, "time", t)).orElse(null);
    Duration cpu =
        cpuTime != null
            ? cpuTime
            : config.get("cpu-time").map(t -> fromConfig(config, "cpu-time", t)).orElse(null);
    Long memory =
        memoryBytes != null
            ? memoryBytes
            : config.get("memory").map(m -> sizeFromConfig(config, m)).orElse(null);
    if (wall != null) {
      limits.setWallTimeMs(wall.toMillis());
    }
    if (cpu != null) {
      limits.setCpuTimeMs(cpu.toMillis());
    }
    if (memory != null) {
      limits.setMemoryBytes(memory);
    }
    return limits.build();
  }

  private static Duration fromConfig(CliConfig config, String key, String text) {
    try {
      return Quantities.parseDuration(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(config.where(key) + ": " + e.getMessage());
    }
  }

  private static long sizeFromConfig(CliConfig config, String text) {
    try {
      return Quantities.parseSize(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(config.where("memory") + ": " + e.getMessage());
    }
  }

  Comparator comparator() {
    return switch (comparator.strip().toLowerCase(Locale.ROOT)) {
      case "exact" -> Comparator.COMPARATOR_EXACT;
      case "trailing-whitespace" -> Comparator.COMPARATOR_IGNORE_TRAILING_WHITESPACE;
      case "numbers" -> Comparator.COMPARATOR_NUMBERS;
      default ->
          throw new UsageException(
              "--comparator: '"
                  + comparator
                  + "' (expected: exact, trailing-whitespace or numbers)");
    };
  }
}
