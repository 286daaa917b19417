package dev.polyrun.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.StageStats;
import dev.polyrun.proto.v1.Verdict;
import org.junit.jupiter.api.Test;

class JobPrinterTest {
  @Test
  void runningJobShowsStateWithoutVerdict() {
    Job job =
        Job.newBuilder()
            .setJobId("j-1")
            .setState(JobState.JOB_STATE_RUNNING)
            .setAttempt(2)
            .setLanguage("c")
            .setCreatedAtMs(1_700_000_000_000L)
            .build();

    assertThat(JobPrinter.describe(job))
        .isEqualTo(
            """
            job             j-1
            state           RUNNING (attempt 2)
            language        c
            created         2023-11-14T22:13:20Z
            """);
  }

  @Test
  void finishedJobShowsVerdictFiguresAndLimits() {
    StageStats run =
        StageStats.newBuilder()
            .setVerdict(Verdict.VERDICT_RUNTIME_ERROR)
            .setExitCode(3)
            .setCpuTimeMs(10)
            .setWallTimeMs(40)
            .setPeakMemoryBytes(1 << 20)
            .setLimits(Limits.newBuilder().setWallTimeMs(5000).setMemoryBytes(256L << 20))
            .build();
    Job job =
        Job.newBuilder()
            .setJobId("j-2")
            .setState(JobState.JOB_STATE_DONE)
            .setResult(Result.newBuilder().setVerdict(Verdict.VERDICT_RUNTIME_ERROR).setRun(run))
            .build();

    assertThat(JobPrinter.describe(job))
        .contains("verdict         RUNTIME_ERROR (exit code 3, cpu 0.01 s")
        .contains("run             exit code 3, cpu 0.01 s, wall 0.04 s, memory 1.0 MiB\n")
        .contains("run limits      wall 5.00 s, memory 256.0 MiB\n")
        .doesNotContain("compile");
  }
}
