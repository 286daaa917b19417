package dev.polyrun.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LauncherReportTest {
  private static final String STARTED =
      """
      launch_ns 4000000
      setup_cpu_ns 3000000
      ready_epoch_ns 1795960000000000000
      start_epoch_ns 1795960000000500000
      """;

  @Test
  void theProgramsCpuIsItsRusageWithoutTheSetUpsAndItsWallRunsFromExecToExit() {
    LauncherReport r =
        LauncherReport.parse(
            STARTED
                + """
        exit_epoch_ns 1795960000021000000
        wall_ns 20500000
        rusage_cpu_ns 23000000
        launcher_cpu_ns 1000000
        exit 3
        """);

    assertThat(r.errors()).isEmpty();
    assertThat(r.status()).isEqualTo(3);
    assertThat(r.programCpu()).isEqualTo(Duration.ofMillis(20));
    assertThat(r.setupCpu()).isEqualTo(Duration.ofMillis(3));
    assertThat(r.wall()).isEqualTo(Duration.ofNanos(20_500_000));
    assertThat(r.readyAt()).isEqualTo(Instant.ofEpochSecond(1795960000L));
    assertThat(r.startedAt()).isEqualTo(Instant.ofEpochSecond(1795960000L, 500_000));
    assertThat(r.exitedAt()).isEqualTo(Instant.ofEpochSecond(1795960000L, 21_000_000));
    assertThat(r.wallLimitHit()).isFalse();
  }

  @Test
  void aSignalIsReportedAs128PlusItsNumberAndTheWallLimitIsNamed() {
    LauncherReport r = LauncherReport.parse(STARTED + "stopped wall\nsignal 9\n");

    assertThat(r.status()).isEqualTo(137);
    assertThat(r.wallLimitHit()).isTrue();
  }

  @Test
  void aReportReadWhileTheProgramRunsHasItsStartButNoEnd() {
    LauncherReport r = LauncherReport.parse(STARTED);

    assertThat(r.startedAt()).isNotNull();
    assertThat(r.exitedAt()).isNull();
    assertThat(r.status()).isEqualTo(-1);
  }

  @Test
  void theSandboxsOwnFailuresAreCollectedAndNoStartIsReported() {
    LauncherReport r =
        LauncherReport.parse(
            "error mount point missing in the image /work: No such file or directory\n"
                + "launch_ns 1\nsetup_cpu_ns 0\nready_epoch_ns 0\nstart_epoch_ns 1795960000000500000\nexit 126\n");

    assertThat(r.errors())
        .containsExactly("mount point missing in the image /work: No such file or directory");
    assertThat(r.readyAt()).isNull();
    assertThat(r.startedAt()).isNull();
  }
}
