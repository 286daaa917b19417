package dev.polyrun.coordinator;

/**
 * The largest limits a request may ask for, per stage, and the largest request parts. A request
 * over them is refused with INVALID_ARGUMENT naming the field and the maximum.
 *
 * @param cpuTimeMs cpu time, milliseconds (default 60 000)
 * @param wallTimeMs wall time, milliseconds (default 120 000)
 * @param memoryBytes memory including swap, bytes (default 2 GiB)
 * @param maxProcesses processes and threads (default 512)
 * @param outputBytes stdout plus stderr, bytes (default 64 MiB)
 * @param fileSizeBytes largest file, bytes (default 256 MiB)
 * @param maxFiles source files per request (default 64)
 * @param maxSourceBytes source bytes per request, all files together (default 8 MiB)
 * @param maxStdinBytes stdin bytes (default 8 MiB)
 */
public record ServerLimits(
    long cpuTimeMs,
    long wallTimeMs,
    long memoryBytes,
    int maxProcesses,
    long outputBytes,
    long fileSizeBytes,
    int maxFiles,
    long maxSourceBytes,
    long maxStdinBytes) {

  /** The documented defaults. */
  public static ServerLimits defaults() {
    return new ServerLimits(60_000, 120_000, 2L << 30, 512, 64L << 20, 256L << 20, 64, 8L << 20, 8L << 20);
  }
}
