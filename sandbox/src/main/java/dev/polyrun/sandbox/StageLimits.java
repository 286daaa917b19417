package dev.polyrun.sandbox;

import java.time.Duration;

/**
 * Resource limits of one sandboxed stage.
 *
 * @param cpuTime cpu time of all the stage's processes together
 * @param wallTime wall-clock time from the container's start
 * @param memoryBytes memory including swap of all processes together, bytes
 * @param maxProcesses processes and threads at once
 * @param outputBytes stdout and stderr bytes together before the stage is stopped
 * @param fileSizeBytes largest file a process may write, bytes (RLIMIT_FSIZE)
 */
public record StageLimits(
    Duration cpuTime,
    Duration wallTime,
    long memoryBytes,
    int maxProcesses,
    long outputBytes,
    long fileSizeBytes) {

  public StageLimits {
    requirePositive("cpu time", cpuTime.toMillis());
    requirePositive("wall time", wallTime.toMillis());
    requirePositive("memory bytes", memoryBytes);
    requirePositive("max processes", maxProcesses);
    requirePositive("output bytes", outputBytes);
    requirePositive("file size bytes", fileSizeBytes);
  }

  private static void requirePositive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }
}
