package dev.polyrun.coordinator;

/**
 * The largest limits one stage (compile, or run) may have. A request's limit above one is refused
 * with INVALID_ARGUMENT naming the allowed range, or lowered to it when the request sets {@code
 * clamp_limits}; a language default above one is lowered to it.
 *
 * @param cpuTimeMs cpu time, milliseconds
 * @param wallTimeMs wall time, milliseconds
 * @param memoryBytes memory including swap, bytes
 * @param maxProcesses processes and threads at once
 * @param outputBytes stdout plus stderr, bytes
 * @param fileSizeBytes largest file written, bytes
 */
public record StageMaxima(
    long cpuTimeMs,
    long wallTimeMs,
    long memoryBytes,
    int maxProcesses,
    long outputBytes,
    long fileSizeBytes) {

  public StageMaxima {
    positive("cpu time", cpuTimeMs);
    positive("wall time", wallTimeMs);
    positive("memory", memoryBytes);
    positive("processes", maxProcesses);
    positive("output", outputBytes);
    positive("file size", fileSizeBytes);
  }

  /**
   * The server's defaults: cpu 60 s, wall 120 s, memory 2 GiB, 512 processes, output 64 MiB, file
   * size 256 MiB.
   */
  public static StageMaxima defaults() {
    return new StageMaxima(60_000, 120_000, 2L << 30, 512, 64L << 20, 256L << 20);
  }

  /** The smaller of this and {@code other}, field by field. */
  public StageMaxima min(StageMaxima other) {
    return new StageMaxima(
        Math.min(cpuTimeMs, other.cpuTimeMs),
        Math.min(wallTimeMs, other.wallTimeMs),
        Math.min(memoryBytes, other.memoryBytes),
        Math.min(maxProcesses, other.maxProcesses),
        Math.min(outputBytes, other.outputBytes),
        Math.min(fileSizeBytes, other.fileSizeBytes));
  }

  private static void positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException("maximum " + name + ": " + value + " (expected: >= 1)");
    }
  }
}
