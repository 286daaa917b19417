package dev.polyrun.sandbox.internal;

import dev.polyrun.config.StageLimits;
import dev.polyrun.sandbox.StageResult;
import dev.polyrun.sandbox.StageResult.Termination;
import java.io.IOException;
import java.time.Duration;

/** Why a stage ended, from what the runtime returned and what its cgroup counted. */
final class StageVerdict {
  private StageVerdict() {}

  /**
   * What the sandbox saw of a stage.
   *
   * @param status the runtime's exit status (the program's, or 128 + its signal)
   * @param stopped why the sandbox stopped it, or null
   * @param truncated whether output passed the limit
   * @param wall time from the runtime's start to the program's end
   * @param setup time before the runtime started
   * @param runtimeError the runtime's own errors, or ""
   */
  record Observed(
      int status,
      Termination stopped,
      boolean truncated,
      Duration wall,
      Duration setup,
      String runtimeError) {}

  static StageResult of(Observed seen, Cgroup cgroup, StageLimits limits) throws IOException {
    return of(seen, cgroup, limits, 0);
  }

  /**
   * The verdict, with the cgroup's cpu time less {@code setupCpuNanos}: what a launcher spent in
   * the cgroup before the program's exec is not the program's.
   */
  static StageResult of(Observed seen, Cgroup cgroup, StageLimits limits, long setupCpuNanos)
      throws IOException {
    long cpuNanos = Math.max(0, cgroup.cpuNanos() - setupCpuNanos);
    long peak = cgroup.peakMemoryBytes();
    int status = seen.status();
    // v1 counts OOM kills in the container's own cgroup, which is gone by now: a limit that was
    // hit by a program that then failed is taken as the same event.
    boolean outOfMemory = cgroup.oomKills() > 0 || (cgroup.limitHits() > 0 && status != 0);
    // TCP buffers at their limit make sends wait rather than fail: a program that then failed, or
    // waited until the wall limit, ran out of memory.
    boolean tcpFull =
        cgroup.tcpLimitHits() > 0 && (status != 0 || seen.stopped() == Termination.WALL_TIME_LIMIT);
    int signal = status > 128 && status <= 128 + 64 ? status - 128 : 0;
    int exitCode = signal == 0 ? status : -1;
    Termination termination = seen.stopped();
    if (tcpFull && (termination == null || termination == Termination.WALL_TIME_LIMIT)) {
      termination = Termination.MEMORY_LIMIT;
    }
    if (termination == null) {
      if (outOfMemory) {
        termination = Termination.MEMORY_LIMIT;
      } else if (cpuNanos >= limits.cpuTime().toNanos()) {
        termination = Termination.CPU_TIME_LIMIT;
      } else if (!seen.runtimeError().isEmpty() && status != 0) {
        return StageResult.failure("container runtime: " + seen.runtimeError());
      } else {
        termination = Termination.EXITED;
      }
    }
    return new StageResult(
        termination,
        exitCode,
        signal,
        Duration.ofNanos(cpuNanos),
        seen.wall(),
        peak,
        seen.truncated(),
        "",
        seen.setup(),
        Duration.ZERO,
        null,
        null,
        null,
        null);
  }
}
