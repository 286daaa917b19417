package dev.polyrun.sandbox;

import java.time.Duration;

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
    Duration cleanupTime) {

  /** Why a stage ended. */
  public enum Termination {
    /** The program exited or was killed by a signal of its own doing. */
    EXITED,
    CPU_TIME_LIMIT,
    WALL_TIME_LIMIT,
    MEMORY_LIMIT,
    OUTPUT_LIMIT,
    CANCELLED,
    /** The sandbox itself failed; the program is not to blame. */
    SANDBOX_FAILURE
  }

  /** Whether the program exited with code 0 on its own. */
  public boolean succeeded() {
    return termination == Termination.EXITED && exitCode == 0 && signal == 0;
  }
}
