package dev.polyrun.worker.internal.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.Timeline;
import dev.polyrun.sandbox.StageResult;
import dev.polyrun.sandbox.StageResult.Termination;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelinesTest {
  private static final Instant T0 = Instant.parse("2026-11-29T14:00:00Z");

  private static StageResult stage(
      int readyMs, int startMs, int exitMs, int cpuMs, Integer sandboxCpuMs) {
    return new StageResult(
        Termination.EXITED,
        0,
        0,
        Duration.ofMillis(cpuMs),
        Duration.ofMillis(exitMs - startMs),
        0,
        false,
        "",
        Duration.ZERO,
        Duration.ZERO,
        T0.plusMillis(readyMs),
        T0.plusMillis(startMs),
        T0.plusMillis(exitMs),
        sandboxCpuMs == null ? null : Duration.ofMillis(sandboxCpuMs));
  }

  @Test
  void theTimelineRunsFromTheStreamEntryToTheStoreThroughTheFirstStartAndTheLastExit() {
    List<StageResult> stages = List.of(stage(10, 12, 100, 80, 3), stage(110, 112, 130, 15, 2));

    Result r =
        Timelines.complete(
            Result.getDefaultInstance(),
            (T0.toEpochMilli() - 5) + "-0",
            T0.plusMillis(2),
            stages,
            T0.plusMillis(140),
            Duration.ofMillis(4));

    Timeline t = r.getTimeline();
    assertThat(t.getQueuedAt().getSeconds() * 1000 + t.getQueuedAt().getNanos() / 1_000_000)
        .isEqualTo(T0.toEpochMilli() - 5);
    assertThat(t.getClaimedAt().getNanos()).isEqualTo(2_000_000);
    assertThat(t.getContainerReadyAt().getNanos()).isEqualTo(10_000_000);
    assertThat(t.getStartedAt().getNanos()).isEqualTo(12_000_000);
    assertThat(t.getExitedAt().getNanos()).isEqualTo(130_000_000);
    assertThat(t.getStoredAt().getNanos()).isEqualTo(140_000_000);
    assertThat(r.getWorkerCpuMs()).isEqualTo(80 + 3 + 15 + 2 + 4);
  }

  @Test
  void aJobThatRanNoStageHasNoStageInstantsAndNoCpu() {
    Result r =
        Timelines.complete(
            Result.getDefaultInstance(),
            "not-an-id",
            T0,
            List.of(),
            T0.plusMillis(1),
            Duration.ZERO);

    assertThat(r.getTimeline().hasQueuedAt()).isFalse();
    assertThat(r.getTimeline().hasStartedAt()).isFalse();
    assertThat(r.getTimeline().hasClaimedAt()).isTrue();
    assertThat(r.getWorkerCpuMs()).isZero();
  }

  @Test
  void anUnmeasuredSandboxCpuCountsAsNone() {
    assertThat(Timelines.cpu(List.of(stage(0, 1, 2, 7, null)))).isEqualTo(Duration.ofMillis(7));
  }
}
