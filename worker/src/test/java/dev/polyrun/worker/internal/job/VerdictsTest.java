package dev.polyrun.worker.internal.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.config.StageLimits;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.StageStats;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.sandbox.StageResult;
import dev.polyrun.sandbox.StageResult.Termination;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VerdictsTest {
  private static final StageLimits LIMITS =
      new StageLimits(Duration.ofSeconds(1), Duration.ofSeconds(2), 64 << 20, 16, 1 << 20, 1 << 20);

  private static StageStats stats(Termination termination, int exitCode, int signal) {
    StageResult r =
        new StageResult(
            termination,
            exitCode,
            signal,
            Duration.ofMillis(5),
            Duration.ofMillis(9),
            4096,
            false,
            "",
            Duration.ZERO,
            Duration.ZERO);
    return Verdicts.stats(r, LIMITS);
  }

  @Test
  void aProgramThatExitedOnItsOwnHasItsExitCodeAndNoSignal() {
    StageStats ok = stats(Termination.EXITED, 0, 0);
    StageStats failed = stats(Termination.EXITED, 3, 0);

    assertThat(ok.hasExitCode()).isTrue();
    assertThat(ok.getExitCode()).isZero();
    assertThat(ok.hasSignal()).isFalse();
    assertThat(failed.getExitCode()).isEqualTo(3);
  }

  @Test
  void aProgramEndedBySignalHasTheSignalAndNoExitCode() {
    StageStats crashed = stats(Termination.EXITED, -1, 11);
    StageStats killedAtTheLimit = stats(Termination.WALL_TIME_LIMIT, -1, 9);

    assertThat(crashed.hasExitCode()).isFalse();
    assertThat(crashed.getSignal()).isEqualTo(11);
    assertThat(killedAtTheLimit.hasExitCode()).isFalse();
    assertThat(killedAtTheLimit.getSignal()).isEqualTo(9);
  }

  @Test
  void aStageTheSandboxEndedWithoutASignalHasNeither() {
    StageStats failed = stats(Termination.SANDBOX_FAILURE, 0, 0);
    StageStats overMemory = stats(Termination.MEMORY_LIMIT, 0, 0);

    assertThat(failed.hasExitCode() || failed.hasSignal()).isFalse();
    assertThat(overMemory.hasExitCode() || overMemory.hasSignal()).isFalse();
  }

  @Test
  void anInternalErrorWithoutAReasonIsASandboxFailure() {
    Result sandbox =
        Result.newBuilder()
            .setVerdict(Verdict.VERDICT_INTERNAL_ERROR)
            .setMessage("sandbox: boom")
            .build();
    Result noImage = sandbox.toBuilder().setErrorReason("LANGUAGE_UNAVAILABLE").build();
    Result ok = Result.newBuilder().setVerdict(Verdict.VERDICT_OK).build();

    assertThat(Verdicts.withErrorReason(sandbox).getErrorReason()).isEqualTo("SANDBOX_FAILURE");
    assertThat(Verdicts.withErrorReason(noImage).getErrorReason())
        .isEqualTo("LANGUAGE_UNAVAILABLE");
    assertThat(Verdicts.withErrorReason(ok).getErrorReason()).isEmpty();
  }
}
