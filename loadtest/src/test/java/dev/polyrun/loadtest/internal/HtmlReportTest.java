package dev.polyrun.loadtest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.loadtest.Latency;
import dev.polyrun.loadtest.RunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
  private static RunReport report() {
    RunReport.Builder b = new RunReport.Builder("failover");
    b.startedAt = "2026-01-01T00:00:00Z";
    b.target = "127.0.0.1:50051";
    Latency l = new Latency(10, 100, 150, 190, 200, 110);
    b.programs.add(
        new RunReport.ProgramStats(
            "python-hello <b>",
            "python",
            10,
            1,
            2,
            l,
            Map.of("image run", l),
            "image run",
            1.0,
            0.0,
            Map.of("first event", l),
            Map.of("VERDICT_OK", 9L),
            150.0,
            "results"));
    b.series =
        List.of(
            new RunReport.SeriesPoint(0, 2, 1, 0, 100.0, 150.0, 190.0, 200.0),
            new RunReport.SeriesPoint(1, 2, 2, 1, null, null, null, null));
    b.errors.put("UNAVAILABLE", 3L);
    b.errorExamples.put("UNAVAILABLE", "python-hello: coordinator gone");
    b.faults.add(
        new RunReport.FaultRecord("kill-coordinator", "coordinator", 0.5, 1.0, l, l, 3, "SIGKILL"));
    b.samples =
        List.of(
            new RunReport.ResourceSample(0, Map.of("worker-1.fds", 10.0, "redis.keys", 3.0)),
            new RunReport.ResourceSample(5, Map.of("worker-1.fds", 11.0, "redis.keys", 3.0)));
    b.slopes = List.of(new RunReport.SlopeResult("worker-1.fds", 12, 1, 10.0, 11.0, false));
    b.invariants = new RunReport.Invariants(10, 0, 0, 1, List.of(), List.of());
    b.cost =
        new RunReport.CostReport(
            "prices as of test",
            0.7,
            100,
            2.0,
            List.of(
                new RunReport.CostRow(
                    "python-hello", 150, "results", "c7g.large", 2, 0.0725, 33600, 2.16, 11)));
    b.failures.add("worker-1.fds grows");
    return b.build();
  }

  @Test
  void theReportIsOnePageWithItsChartsInlineAndNothingFetched() {
    String html = HtmlReport.render(report());

    assertThat(html)
        .contains(
            "<svg",
            "<polyline",
            "kill-coordinator coordinator",
            "Errors by code",
            "worker-1.fds",
            "c7g.large",
            "FAILED",
            "more than one final result");
    assertThat(html).doesNotContain("<script", "src=", "href=", "<link", "@import");
    // Every URL is the SVG namespace, which is a name, not something loaded.
    assertThat(html.replace("http://www.w3.org/2000/svg", ""))
        .doesNotContain("http://", "https://");
  }

  @Test
  void namesAreEscaped() {
    assertThat(HtmlReport.render(report()))
        .contains("python-hello &lt;b&gt;")
        .doesNotContain("python-hello <b>");
  }

  @Test
  void theRecordReadsBackAsWritten(@TempDir Path dir) throws Exception {
    ReportFiles.Written files = ReportFiles.write(report(), dir);

    RunReport back = ReportFiles.read(files.json());
    assertThat(Files.readString(files.html())).startsWith("<!DOCTYPE html>");
    assertThat(back.scenario()).isEqualTo("failover");
    assertThat(back.programs().get(0).latency().p99()).isEqualTo(190);
    assertThat(back.series().get(1).p50()).isNull();
    assertThat(back.invariants().reruns()).isEqualTo(1);
    assertThat(back.passed()).isFalse();
    assertThat(Files.readString(files.json())).doesNotContain("NaN");
  }
}
