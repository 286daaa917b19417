package dev.polyrun.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.StageStats;
import dev.polyrun.proto.v1.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExitCodesTest {
  private static Result result(Verdict verdict) {
    return Result.newBuilder().setVerdict(verdict).build();
  }

  /** A run that ended in a runtime error: with its exit code, its signal, or neither (null). */
  private static Result runtimeError(Integer exitCode, Integer signal) {
    StageStats.Builder run = StageStats.newBuilder().setVerdict(Verdict.VERDICT_RUNTIME_ERROR);
    if (exitCode != null) {
      run.setExitCode(exitCode);
    }
    if (signal != null) {
      run.setSignal(signal);
    }
    return Result.newBuilder().setVerdict(Verdict.VERDICT_RUNTIME_ERROR).setRun(run).build();
  }

  @ParameterizedTest
  @CsvSource({
    "VERDICT_OK, 0",
    "VERDICT_ACCEPTED, 0",
    "VERDICT_COMPILE_ERROR, 100",
    "VERDICT_TIME_LIMIT_EXCEEDED, 101",
    "VERDICT_MEMORY_LIMIT_EXCEEDED, 102",
    "VERDICT_OUTPUT_LIMIT_EXCEEDED, 103",
    "VERDICT_CANCELLED, 104",
    "VERDICT_INTERNAL_ERROR, 105",
    "VERDICT_WRONG_ANSWER, 106",
    "VERDICT_UNSPECIFIED, 105"
  })
  void eachVerdictHasItsExitCode(Verdict verdict, int expected) {
    assertThat(ExitCodes.forResult(result(verdict))).isEqualTo(expected);
  }

  @Test
  void runtimeErrorPassesTheProgramsExitCodeThrough() {
    assertThat(ExitCodes.forResult(runtimeError(3, null))).isEqualTo(3);
    assertThat(ExitCodes.forResult(runtimeError(255, null))).isEqualTo(255);
  }

  @Test
  void programKilledBySignalExitsWith128PlusTheSignal() {
    assertThat(ExitCodes.forResult(runtimeError(null, 11))).isEqualTo(139);
    assertThat(ExitCodes.forResult(runtimeError(null, 9))).isEqualTo(137);
  }

  @Test
  void runtimeErrorWithoutAUsableExitCodeStillExitsNonZero() {
    assertThat(ExitCodes.forResult(runtimeError(0, null))).isEqualTo(1);
    assertThat(ExitCodes.forResult(runtimeError(null, null))).isEqualTo(1);
    assertThat(ExitCodes.forResult(runtimeError(256, null))).isEqualTo(1);
  }

  @Test
  void runtimeErrorOfATestCaseUsesThatCasesExitCode() {
    Result result =
        Result.newBuilder()
            .setVerdict(Verdict.VERDICT_RUNTIME_ERROR)
            .addTestCases(
                dev.polyrun.proto.v1.TestCaseResult.newBuilder()
                    .setVerdict(Verdict.VERDICT_RUNTIME_ERROR)
                    .setStats(StageStats.newBuilder().setExitCode(42)))
            .build();

    assertThat(ExitCodes.forResult(result)).isEqualTo(42);
  }

  @Test
  void helpListsEveryFixedExitCode() {
    assertThat(ExitCodes.descriptions())
        .containsKeys("0", "2", "100", "101", "102", "103", "104", "105", "106", "107", "1-255");
  }
}
