package dev.polyrun.worker.internal.job;

import dev.polyrun.config.StageLimits;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.StageStats;
import dev.polyrun.proto.v1.TimeLimitKind;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.queue.ErrorReasons;
import dev.polyrun.queue.LimitsProto;
import dev.polyrun.sandbox.StageResult;
import java.util.Locale;

/** Turns a sandbox's stage result into the contract's verdict, figures and message. */
final class Verdicts {
  private Verdicts() {}

  static Verdict verdict(StageResult r) {
    return switch (r.termination()) {
      case EXITED -> r.succeeded() ? Verdict.VERDICT_OK : Verdict.VERDICT_RUNTIME_ERROR;
      case CPU_TIME_LIMIT, WALL_TIME_LIMIT -> Verdict.VERDICT_TIME_LIMIT_EXCEEDED;
      case MEMORY_LIMIT -> Verdict.VERDICT_MEMORY_LIMIT_EXCEEDED;
      case OUTPUT_LIMIT -> Verdict.VERDICT_OUTPUT_LIMIT_EXCEEDED;
      case CANCELLED -> Verdict.VERDICT_CANCELLED;
      case SANDBOX_FAILURE -> Verdict.VERDICT_INTERNAL_ERROR;
    };
  }

  static StageStats stats(StageResult r, StageLimits limits) {
    StageStats.Builder s =
        StageStats.newBuilder()
            .setVerdict(verdict(r))
            .setCpuTimeMs(r.cpuTime().toMillis())
            .setWallTimeMs(r.wallTime().toMillis())
            .setPeakMemoryBytes(r.peakMemoryBytes())
            .setOutputTruncated(r.outputTruncated())
            .setLimits(LimitsProto.toProto(limits));
    // present only when they say how the program ended: an exit of its own, or a signal
    if (r.termination() == StageResult.Termination.EXITED && r.signal() == 0 && r.exitCode() >= 0) {
      s.setExitCode(r.exitCode());
    }
    if (r.signal() > 0) {
      s.setSignal(r.signal());
    }
    switch (r.termination()) {
      case CPU_TIME_LIMIT -> s.setTimeLimitKind(TimeLimitKind.TIME_LIMIT_KIND_CPU);
      case WALL_TIME_LIMIT -> s.setTimeLimitKind(TimeLimitKind.TIME_LIMIT_KIND_WALL);
      default -> {}
    }
    return s.build();
  }

  /** One line of detail, e.g. "exit code 3" or "wall time limit 5.00 s". */
  static String message(StageResult r, StageLimits limits) {
    return switch (r.termination()) {
      case EXITED ->
          r.signal() != 0
              ? "killed by signal " + r.signal() + " (" + Signals.name(r.signal()) + ")"
              : r.exitCode() == 0 ? "" : "exit code " + r.exitCode();
      case CPU_TIME_LIMIT -> "cpu time limit " + seconds(limits.cpuTime().toMillis());
      case WALL_TIME_LIMIT -> "wall time limit " + seconds(limits.wallTime().toMillis());
      case MEMORY_LIMIT -> "memory limit " + mebibytes(limits.memoryBytes());
      case OUTPUT_LIMIT -> "output limit " + limits.outputBytes() + " bytes";
      case CANCELLED -> "cancelled";
      case SANDBOX_FAILURE -> r.detail();
    };
  }

  /**
   * The result with its {@code error_reason} when it is an INTERNAL_ERROR without one: a stage the
   * sandbox could not run ({@code SANDBOX_FAILURE}).
   */
  static Result withErrorReason(Result result) {
    if (result.getVerdict() != Verdict.VERDICT_INTERNAL_ERROR
        || !result.getErrorReason().isEmpty()) {
      return result;
    }
    return result.toBuilder().setErrorReason(ErrorReasons.SANDBOX_FAILURE).build();
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
  }

  private static String mebibytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
