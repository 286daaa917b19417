package dev.polyrun.coordinator;

import dev.polyrun.config.StageLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * The largest limits a request may ask for, per stage, and the largest request parts. A request
 * over them is refused with INVALID_ARGUMENT naming the field and the maximum.
 *
 * @param stage the largest limits of each stage, every one set (a tenant's own maxima may lower
 *     them); default {@link #DEFAULT_STAGE_MAXIMA}
 * @param maxFiles source files per request (default 64)
 * @param maxSourceBytes source bytes per request, all files together (default 8 MiB)
 * @param maxStdinBytes stdin bytes (default 8 MiB)
 * @param maxArgs program arguments, and compile options, per request each (default 256)
 * @param maxArgBytes bytes of all program arguments together, and of all compile options (default
 *     64 KiB)
 * @param maxTestCases test cases per request (default 100)
 * @param maxTestDataBytes stdin plus expected output of all test cases together (default 16 MiB)
 */
public record ServerLimits(
    StageLimits stage,
    int maxFiles,
    long maxSourceBytes,
    long maxStdinBytes,
    int maxArgs,
    long maxArgBytes,
    int maxTestCases,
    long maxTestDataBytes) {
  /**
   * The largest limits of a stage by default: cpu 60 s, wall 120 s, memory 2 GiB, 512 processes,
   * output 64 MiB, file size 256 MiB.
   */
  public static final StageLimits DEFAULT_STAGE_MAXIMA =
      new StageLimits(
          Duration.ofSeconds(60), Duration.ofSeconds(120), 2L << 30, 512, 64L << 20, 256L << 20);

  public ServerLimits {
    Objects.requireNonNull(stage, "stage").requireComplete("stage maxima");
    atLeast("files", maxFiles, 1);
    atLeast("source bytes", maxSourceBytes, 1);
    atLeast("stdin bytes", maxStdinBytes, 0);
    atLeast("args", maxArgs, 0);
    atLeast("arg bytes", maxArgBytes, 0);
    atLeast("test cases", maxTestCases, 0);
    atLeast("test data bytes", maxTestDataBytes, 0);
  }

  /** The documented defaults. */
  public static ServerLimits defaults() {
    return new ServerLimits(
        DEFAULT_STAGE_MAXIMA, 64, 8L << 20, 8L << 20, 256, 64L << 10, 100, 16L << 20);
  }

  /** These limits with other stage maxima. */
  public ServerLimits withStage(StageLimits stage) {
    return new ServerLimits(
        stage,
        maxFiles,
        maxSourceBytes,
        maxStdinBytes,
        maxArgs,
        maxArgBytes,
        maxTestCases,
        maxTestDataBytes);
  }

  private static void atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(
          "maximum " + name + ": " + value + " (expected: >= " + min + ")");
    }
  }
}
