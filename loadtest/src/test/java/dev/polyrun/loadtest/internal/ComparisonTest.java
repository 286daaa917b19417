package dev.polyrun.loadtest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.loadtest.RunReport;
import org.junit.jupiter.api.Test;

class ComparisonTest {
  private static RunReport run(double p99, double rate, double accepted) {
    return new RunReport.Builder("open")
        .metric("p99", p99, "ms", "lower")
        .metric("completed ok", rate, "per second", "higher")
        .metric("accepted jobs", accepted, "jobs", "none")
        .build();
  }

  @Test
  void aLatencyRisePastTheThresholdIsARegression() {
    assertThat(Comparison.compare(run(100, 10, 5), run(115, 10, 5), 0.10))
        .filteredOn(Comparison.Row::regression)
        .extracting(Comparison.Row::name)
        .containsExactly("p99");
  }

  @Test
  void aThroughputDropPastTheThresholdIsARegression() {
    assertThat(Comparison.compare(run(100, 10, 5), run(100, 8.5, 5), 0.10))
        .filteredOn(Comparison.Row::regression)
        .extracting(Comparison.Row::name)
        .containsExactly("completed ok");
  }

  @Test
  void changesWithinTheThresholdImprovementsAndNeutralFiguresAreNot() {
    assertThat(Comparison.compare(run(100, 10, 5), run(105, 20, 500), 0.10))
        .noneMatch(Comparison.Row::regression);
    assertThat(Comparison.compare(run(100, 10, 5), run(50, 10, 5), 0.10))
        .noneMatch(Comparison.Row::regression);
  }

  @Test
  void figuresInOnlyOneRunAreListedWithoutJudgement() {
    RunReport b =
        new RunReport.Builder("open")
            .metric("p99", 100, "ms", "lower")
            .metric("new", 1, "x", "lower")
            .build();

    assertThat(Comparison.compare(run(100, 10, 5), b, 0.1))
        .extracting(Comparison.Row::name)
        .contains("completed ok", "new");
    assertThat(Comparison.compare(run(100, 10, 5), b, 0.1)).noneMatch(Comparison.Row::regression);
  }
}
