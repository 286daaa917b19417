package dev.polyrun.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.StageStats;
import org.junit.jupiter.api.Test;

class FiguresTest {
  @Test
  void secondsHaveTwoDecimals() {
    assertThat(Figures.seconds(5000)).isEqualTo("5.00 s");
    assertThat(Figures.seconds(12)).isEqualTo("0.01 s");
    assertThat(Figures.seconds(0)).isEqualTo("0.00 s");
  }

  @Test
  void sizesUseTheLargestBinaryUnitBelowTheValue() {
    assertThat(Figures.bytes(1023)).isEqualTo("1023 B");
    assertThat(Figures.bytes(1024)).isEqualTo("1.0 KiB");
    assertThat(Figures.bytes(64L << 10)).isEqualTo("64.0 KiB");
    assertThat(Figures.bytes(256L << 20)).isEqualTo("256.0 MiB");
    assertThat(Figures.bytes(3L << 30)).isEqualTo("3.0 GiB");
  }

  @Test
  void signalsHaveTheirLinuxNames() {
    assertThat(Figures.signal(9)).isEqualTo("signal 9 SIGKILL");
    assertThat(Figures.signal(31)).isEqualTo("signal 31 SIGSYS");
    assertThat(Figures.signal(40)).isEqualTo("signal 40");
  }

  @Test
  void usageNamesAnExitCodeOrASignalOnlyWhenTheStageHasOne() {
    StageStats figures =
        StageStats.newBuilder().setCpuTimeMs(10).setWallTimeMs(20).setPeakMemoryBytes(1024).build();

    assertThat(Figures.usage(figures.toBuilder().setExitCode(0).build()))
        .isEqualTo("exit code 0, cpu 0.01 s, wall 0.02 s, memory 1.0 KiB");
    assertThat(Figures.usage(figures.toBuilder().setSignal(9).build()))
        .isEqualTo("signal 9 SIGKILL, cpu 0.01 s, wall 0.02 s, memory 1.0 KiB");
    assertThat(Figures.usage(figures))
        .as("ended by the sandbox")
        .isEqualTo("cpu 0.01 s, wall 0.02 s, memory 1.0 KiB");
  }
}
