package dev.polyrun.sandbox;

import java.time.Duration;
import java.time.Instant;

/**
 * How a stage ended, with its figures.
 *
 * @param termination why the stage ended
 * @param exitCode the program's exit code, or -1 when a signal ended it
 * @param signal the signal that ended the program, 0 if none
 * @param cpuTime cpu time of all the stage's processes, from the cgroup
 * @param wallTime time from the container's start to the program's end
 * @param peakMemoryBytes peak memory (including swap where the cgroup reports it), bytes
 * @param outputTruncated whether output was cut at the output limit
 * @param detail what went wrong, for {@link Termination#SANDBOX_FAILURE}; empty otherwise
 * @param setupTime time spent before the runtime was started (cgroup, bundle)
 * @param cleanupTime time from the program's end until every process was gone and the container,
 *     cgroup and bundle were removed
 * @param readyAt when the container existed: namespaces, cgroup and mounts made (the runtime's
 *     createRuntime hook), by the worker's clock; null when not reached or not measured
 * @param startedAt when the runtime released the program (its poststart hook; runc 1.1 starts the
 *     program right after), by the worker's clock; null when not reached or not measured
 * @param exitedAt when the program ended or was stopped, by the worker's clock; null when it never
 *     started
 * @param sandboxCpuTime cpu time of the sandbox machinery for this stage (the runtime's processes
 *     and hooks, from just after the runtime started), not counted in {@code cpuTime}; null when
 *     not measurable
 */
public record StageResult(
    Termination termination,
    int exitCode,
    int signal,
    Duration cpuTime,
    Duration wallTime,
    long peakMemoryBytes,
    boolean outputTruncated,
    String detail,
    Duration setupTime,
    Duration cleanupTime,
    Instant readyAt,
    Instant startedAt,
    Instant exitedAt,
    Duration sandboxCpuTime) {

  /** Why a stage ended. */
  public enum Termination {
    /** The program exited or was killed by a signal of its own doing. */
    EXITED,
    CPU_TIME_LIMIT,
    WALL_TIME_LIMIT,
    /**
     * The stage's memory limit: an OOM kill, a failure after memory use reached the limit, or (on
     * cgroup v1) a stage whose TCP buffers reached the limit and that then failed or ran out of
     * time waiting for buffer space.
     */
    MEMORY_LIMIT,
    OUTPUT_LIMIT,
    CANCELLED,
    /** The sandbox itself failed; the program is not to blame. */
    SANDBOX_FAILURE
  }

  /** A result without timeline instants or the runtime's cpu (not measured). */
  public StageResult(
      Termination termination,
      int exitCode,
      int signal,
      Duration cpuTime,
      Duration wallTime,
      long peakMemoryBytes,
      boolean outputTruncated,
      String detail,
      Duration setupTime,
      Duration cleanupTime) {
    this(
        termination,
        exitCode,
        signal,
        cpuTime,
        wallTime,
        peakMemoryBytes,
        outputTruncated,
        detail,
        setupTime,
        cleanupTime,
        null,
        null,
        null,
        null);
  }

  /** A failure of the sandbox itself, with no figures. */
  public static StageResult failure(String detail) {
    return new StageResult(
        Termination.SANDBOX_FAILURE,
        -1,
        0,
        Duration.ZERO,
        Duration.ZERO,
        0,
        false,
        detail,
        Duration.ZERO,
        Duration.ZERO,
        null,
        null,
        null,
        null);
  }

  /** This result with a different clean-up time. */
  public StageResult withCleanupTime(Duration cleanup) {
    return new StageResult(
        termination,
        exitCode,
        signal,
        cpuTime,
        wallTime,
        peakMemoryBytes,
        outputTruncated,
        detail,
        setupTime,
        cleanup,
        readyAt,
        startedAt,
        exitedAt,
        sandboxCpuTime);
  }

  /** Whether the program exited with code 0 on its own. */
  public boolean succeeded() {
    return termination == Termination.EXITED && exitCode == 0 && signal == 0;
  }
}
