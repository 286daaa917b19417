package dev.polyrun.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.StageStats;
import dev.polyrun.proto.v1.TestCaseResult;
import dev.polyrun.proto.v1.TimeLimitKind;
import dev.polyrun.proto.v1.Verdict;
import org.junit.jupiter.api.Test;

class VerdictsTest {
  private static Result.Builder withRun(Verdict verdict, StageStats.Builder run) {
    return Result.newBuilder().setVerdict(verdict).setRun(run.setVerdict(verdict));
  }

  @Test
  void wallTimeLimitNamesTheWallTime() {
    Result result =
        withRun(
                Verdict.VERDICT_TIME_LIMIT_EXCEEDED,
                StageStats.newBuilder()
                    .setWallTimeMs(5000)
                    .setCpuTimeMs(12)
                    .setTimeLimitKind(TimeLimitKind.TIME_LIMIT_KIND_WALL))
            .build();

    assertThat(Verdicts.line(result)).isEqualTo("polyrun: TIME_LIMIT_EXCEEDED (wall 5.00 s)");
  }

  @Test
  void cpuTimeLimitNamesTheCpuTime() {
    Result result =
        withRun(
                Verdict.VERDICT_TIME_LIMIT_EXCEEDED,
                StageStats.newBuilder()
                    .setCpuTimeMs(2004)
                    .setWallTimeMs(2100)
                    .setTimeLimitKind(TimeLimitKind.TIME_LIMIT_KIND_CPU))
            .build();

    assertThat(Verdicts.line(result)).isEqualTo("polyrun: TIME_LIMIT_EXCEEDED (cpu 2.00 s)");
  }

  @Test
  void timeLimitOfUnknownKindNamesBothTimes() {
    Result result =
        withRun(
                Verdict.VERDICT_TIME_LIMIT_EXCEEDED,
                StageStats.newBuilder().setCpuTimeMs(1000).setWallTimeMs(3000))
            .build();

    assertThat(Verdicts.describe(result))
        .isEqualTo("TIME_LIMIT_EXCEEDED (cpu 1.00 s, wall 3.00 s)");
  }

  @Test
  void runtimeErrorNamesExitCodeAndFigures() {
    Result result =
        withRun(
                Verdict.VERDICT_RUNTIME_ERROR,
                StageStats.newBuilder()
                    .setExitCode(3)
                    .setCpuTimeMs(10)
                    .setWallTimeMs(40)
                    .setPeakMemoryBytes(3_250_586))
            .build();

    assertThat(Verdicts.line(result))
        .isEqualTo("polyrun: RUNTIME_ERROR (exit code 3, cpu 0.01 s, wall 0.04 s, memory 3.1 MiB)");
  }

  @Test
  void runtimeErrorBySignalNamesTheSignal() {
    Result result =
        withRun(
                Verdict.VERDICT_RUNTIME_ERROR,
                StageStats.newBuilder().setSignal(11).setPeakMemoryBytes(512))
            .build();

    assertThat(Verdicts.line(result))
        .isEqualTo(
            "polyrun: RUNTIME_ERROR (signal 11 SIGSEGV, cpu 0.00 s, wall 0.00 s, memory 512 B)");
  }

  @Test
  void compileErrorIsJustItsName() {
    Result result = Result.newBuilder().setVerdict(Verdict.VERDICT_COMPILE_ERROR).build();

    assertThat(Verdicts.line(result)).isEqualTo("polyrun: COMPILE_ERROR");
  }

  @Test
  void memoryLimitNamesThePeakMemory() {
    Result result =
        withRun(
                Verdict.VERDICT_MEMORY_LIMIT_EXCEEDED,
                StageStats.newBuilder().setPeakMemoryBytes(256L << 20))
            .build();

    assertThat(Verdicts.line(result))
        .isEqualTo("polyrun: MEMORY_LIMIT_EXCEEDED (memory 256.0 MiB)");
  }

  @Test
  void memoryLimitWithoutAPeakReadingNamesTheLimit() {
    StageStats.Builder run =
        StageStats.newBuilder().setLimits(Limits.newBuilder().setMemoryBytes(64L << 20));
    Result result = withRun(Verdict.VERDICT_MEMORY_LIMIT_EXCEEDED, run).build();

    assertThat(Verdicts.describe(result)).isEqualTo("MEMORY_LIMIT_EXCEEDED (memory 64.0 MiB)");
  }

  @Test
  void outputLimitNamesTheLimit() {
    StageStats.Builder run =
        StageStats.newBuilder()
            .setOutputTruncated(true)
            .setLimits(Limits.newBuilder().setOutputBytes(1 << 20));
    Result result = withRun(Verdict.VERDICT_OUTPUT_LIMIT_EXCEEDED, run).build();

    assertThat(Verdicts.describe(result)).isEqualTo("OUTPUT_LIMIT_EXCEEDED (output limit 1.0 MiB)");
  }

  @Test
  void cancelledIsShownWithoutItsEnumPrefix() {
    Result result = Result.newBuilder().setVerdict(Verdict.VERDICT_CANCELLED).build();

    assertThat(Verdicts.line(result)).isEqualTo("polyrun: CANCELLED");
  }

  @Test
  void messageIsAddedAsDetail() {
    Result result =
        Result.newBuilder()
            .setVerdict(Verdict.VERDICT_INTERNAL_ERROR)
            .setMessage("sandbox failed to start\n")
            .build();

    assertThat(Verdicts.line(result)).isEqualTo("polyrun: INTERNAL_ERROR: sandbox failed to start");
  }

  @Test
  void messageThatOnlyRepeatsTheFiguresIsLeftOut() {
    Result result =
        withRun(
                Verdict.VERDICT_TIME_LIMIT_EXCEEDED,
                StageStats.newBuilder()
                    .setWallTimeMs(5000)
                    .setTimeLimitKind(TimeLimitKind.TIME_LIMIT_KIND_WALL))
            .setMessage("wall time 5.00 s")
            .build();

    assertThat(Verdicts.line(result)).isEqualTo("polyrun: TIME_LIMIT_EXCEEDED (wall 5.00 s)");
  }

  @Test
  void messageThatAddsToTheFiguresIsKept() {
    Result result =
        withRun(
                Verdict.VERDICT_TIME_LIMIT_EXCEEDED,
                StageStats.newBuilder()
                    .setWallTimeMs(5000)
                    .setTimeLimitKind(TimeLimitKind.TIME_LIMIT_KIND_WALL))
            .setMessage("wall time 5.00 s (limit 5 s)")
            .build();

    assertThat(Verdicts.line(result))
        .isEqualTo("polyrun: TIME_LIMIT_EXCEEDED (wall 5.00 s): wall time 5.00 s (limit 5 s)");
  }

  @Test
  void wrongAnswerCountsThePassedTestCases() {
    Result result =
        Result.newBuilder()
            .setVerdict(Verdict.VERDICT_WRONG_ANSWER)
            .addTestCases(
                TestCaseResult.newBuilder().setName("01").setVerdict(Verdict.VERDICT_ACCEPTED))
            .addTestCases(
                TestCaseResult.newBuilder().setName("02").setVerdict(Verdict.VERDICT_WRONG_ANSWER))
            .setTestCasesPassed(1)
            .build();

    assertThat(Verdicts.line(result)).isEqualTo("polyrun: WRONG_ANSWER (passed 1 of 2 test cases)");
  }

  @Test
  void timeLimitInTheCompileStageUsesTheCompileFigures() {
    Result result =
        Result.newBuilder()
            .setVerdict(Verdict.VERDICT_TIME_LIMIT_EXCEEDED)
            .setCompile(
                StageStats.newBuilder()
                    .setVerdict(Verdict.VERDICT_TIME_LIMIT_EXCEEDED)
                    .setCpuTimeMs(10_000)
                    .setTimeLimitKind(TimeLimitKind.TIME_LIMIT_KIND_CPU))
            .build();

    assertThat(Verdicts.describe(result)).isEqualTo("TIME_LIMIT_EXCEEDED (cpu 10.00 s)");
  }

  @Test
  void onlyOkAndAcceptedAreSuccess() {
    assertThat(Verdicts.isSuccess(Verdict.VERDICT_OK)).isTrue();
    assertThat(Verdicts.isSuccess(Verdict.VERDICT_ACCEPTED)).isTrue();
    assertThat(Verdicts.isSuccess(Verdict.VERDICT_UNSPECIFIED)).isFalse();
    assertThat(Verdicts.isSuccess(Verdict.VERDICT_RUNTIME_ERROR)).isFalse();
  }
}
