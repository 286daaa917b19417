package dev.polyrun.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The labels a query relies on, checked against what a scrape exports. */
class LabelUsesTest {
  private static final String SCRAPE =
      """
      # TYPE polyrun_probe_success gauge
      polyrun_probe_success{canary="python-hello",language="python",otel_scope_name="polyrun.probe"} 1
      polyrun_probe_runs_total{canary="python-hello",language="python",outcome="ok"} 3
      polyrun_probe_runs_total{canary="python-wrong",language="python",outcome="wrong_output",reason="output"} 3
      polyrun_worker_jobs_total{language="python",verdict="OK",note="a \\"quoted\\", value"} 2
      polyrun_worker_internal_errors_total{language="python",reason="SANDBOX_FAILURE"} 1
      """;

  private static Set<String> problems(String expr, String legend) {
    return LabelUses.unexported(
        LabelUses.in(new MetricReferences.Query("test", expr, legend)),
        MetricReferences.exportedLabels(SCRAPE));
  }

  @Test
  void theScrapeGivesEachSeriesNameTheLabelsOfAllItsSeries() {
    Map<String, Set<String>> labels = MetricReferences.exportedLabels(SCRAPE);

    assertThat(labels.get("polyrun_probe_runs_total"))
        .containsExactlyInAnyOrder("canary", "language", "outcome", "reason");
    assertThat(labels.get("polyrun_worker_jobs_total"))
        .containsExactlyInAnyOrder("language", "verdict", "note");
  }

  @Test
  void aGroupingByALabelTheMetricDoesNotCarryIsReported() {
    assertThat(problems("min by (region) (polyrun_probe_success) == 0", ""))
        .singleElement()
        .asString()
        .contains("label 'region'", "polyrun_probe_success");
    assertThat(problems("min by (canary, language) (polyrun_probe_success) == 0", "{{canary}}"))
        .isEmpty();
  }

  @Test
  void aMatcherIsCheckedOnItsOwnMetricAndALegendOnAnyMetricOfTheQuery() {
    assertThat(problems("sum(rate(polyrun_probe_runs_total{result=\"ok\"}[5m]))", ""))
        .singleElement()
        .asString()
        .contains("label 'result'");
    assertThat(
            problems(
                "sum by (reason) (rate(polyrun_worker_internal_errors_total[5m])) / scalar(sum("
                    + "rate(polyrun_worker_jobs_total[5m])))",
                "{{reason}} {{instance}}"))
        .isEmpty();
    assertThat(problems("sum(rate(polyrun_worker_jobs_total[5m]))", "{{tenant}}"))
        .singleElement()
        .asString()
        .contains("label 'tenant'");
  }

  @Test
  void aGroupingOverTwoMetricsNeedsTheLabelOnBoth() {
    assertThat(
            problems(
                "sum by (reason) (rate(polyrun_worker_internal_errors_total[5m]) / rate(polyrun_worker_jobs_total[5m]))",
                ""))
        .singleElement()
        .asString()
        .contains("polyrun_worker_jobs_total");
  }

  @Test
  void labelsOfAMetricWithoutSeriesAndTargetLabelsAreNotTheProcessesToExport() {
    assertThat(
            problems(
                "sum by (instance, reason) (rate(polyrun_worker_reclaims_total[5m]))", "{{job}}"))
        .isEmpty();
    assertThat(
            problems(
                "sum by (cause) (rate(polyrun_worker_reclaims_total[5m])) / scalar(sum("
                    + "rate(polyrun_worker_jobs_total[5m])))",
                "{{cause}}"))
        .as("the metric without series may carry it")
        .isEmpty();
    assertThat(
            LabelUses.in(
                new MetricReferences.Query(
                    "test", "label_values(polyrun_queue_waiting, language)", "")))
        .extracting(LabelUses.Use::label, LabelUses.Use::metrics)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("language", Set.of("polyrun_queue_waiting")));
  }
}
