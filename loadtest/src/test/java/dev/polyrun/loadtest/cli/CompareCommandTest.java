package dev.polyrun.loadtest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.loadtest.LoadtestCli;
import dev.polyrun.loadtest.RunReport;
import dev.polyrun.loadtest.internal.ReportFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {
  private static Path write(Path dir, double p99) throws Exception {
    RunReport r =
        new RunReport.Builder("latency").metric("python-hello p99", p99, "ms", "lower").build();
    return ReportFiles.write(r, dir.resolve(Double.toString(p99))).json();
  }

  @Test
  void exitsNonZeroPastTheThresholdAndZeroWithin(@TempDir Path dir) throws Exception {
    Path a = write(dir, 100);
    Path slower = write(dir, 120);
    Path close = write(dir, 105);

    assertThat(LoadtestCli.run("compare", a.toString(), slower.toString(), "--threshold", "10%"))
        .isEqualTo(1);
    assertThat(LoadtestCli.run("compare", a.toString(), close.toString(), "--threshold", "10%"))
        .isZero();
    assertThat(LoadtestCli.run("compare", a.toString(), slower.toString(), "--threshold", "25%"))
        .isZero();
  }

  @Test
  void aBadThresholdOrFileIsAUsageError(@TempDir Path dir) throws Exception {
    Path a = write(dir, 100);

    assertThat(LoadtestCli.run("compare", a.toString(), a.toString(), "--threshold", "ten"))
        .isEqualTo(2);
    assertThat(LoadtestCli.run("compare", a.toString(), dir.resolve("none.json").toString()))
        .isNotZero();
  }
}
