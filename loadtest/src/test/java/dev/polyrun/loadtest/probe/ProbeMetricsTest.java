package dev.polyrun.loadtest.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.telemetry.Telemetry;
import dev.polyrun.telemetry.TelemetryOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The probe's series, read from the real Prometheus endpoint of the probe's telemetry. */
class ProbeMetricsTest {
  /** The scrape without the exporter's own {@code otel_scope_*} labels. */
  private static String scrape(int port) throws Exception {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return body.replaceAll("otel_scope_\\w+=\"[^\"]*\",?", "").replace(",}", "}");
  }

  private static Telemetry telemetry() {
    return Telemetry.start(
        TelemetryOptions.builder("polyrun-probe").prometheusServer("127.0.0.1", 0).build());
  }

  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)").matcher(scrape);
    assertThat(m.find()).as(series + " in\n" + scrape).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void aCanaryThatNeverPassedReportsTheProbesStartAsItsLastSuccess() throws Exception {
    double before = System.currentTimeMillis() / 1000.0 - 1;
    try (Telemetry telemetry = telemetry()) {
      int port = telemetry.prometheusPort().orElseThrow();
      ProbeMetrics metrics = new ProbeMetrics(telemetry.meter("polyrun.probe"));
      metrics.expect("c-hello", "c");
      String scraped = scrape(port);

      assertThat(
              value(
                  scraped,
                  "polyrun_probe_last_success_timestamp_seconds{canary=\"c-hello\",language=\"c\"}"))
          .isGreaterThan(before)
          .isLessThan(System.currentTimeMillis() / 1000.0 + 1);
      assertThat(scraped).doesNotContain("polyrun_probe_runs_total{");
    }
  }

  @Test
  void runsAreCountedPerCanaryByOutcomeAndTheReasonOfAFailure() throws Exception {
    try (Telemetry telemetry = telemetry()) {
      int port = telemetry.prometheusPort().orElseThrow();
      ProbeMetrics metrics = new ProbeMetrics(telemetry.meter("polyrun.probe"));
      metrics.expect("python-hello", "python");
      metrics.record(
          new Probe.Run("python-hello", "python", Probe.OK, "", 200, "VERDICT_OK", "j1"));
      metrics.record(
          new Probe.Run("python-hello", "python", Probe.OK, "", 300, "VERDICT_OK", "j2"));
      metrics.record(
          new Probe.Run(
              "python-hello", "python", Probe.WRONG_OUTPUT, "output", 250, "stdout", "j3"));
      metrics.record(
          new Probe.Run("python-hello", "python", Probe.ERROR, "unavailable", 5, "down", null));
      String scraped = scrape(port);

      String hello = "canary=\"python-hello\",language=\"python\"";
      assertThat(value(scraped, "polyrun_probe_runs_total{" + hello + ",outcome=\"ok\"}"))
          .isEqualTo(2);
      assertThat(
              value(
                  scraped,
                  "polyrun_probe_runs_total{"
                      + hello
                      + ",outcome=\"wrong_output\",reason=\"output\"}"))
          .isEqualTo(1);
      assertThat(
              value(
                  scraped,
                  "polyrun_probe_runs_total{"
                      + hello
                      + ",outcome=\"error\",reason=\"unavailable\"}"))
          .isEqualTo(1);
      assertThat(value(scraped, "polyrun_probe_latency_seconds_count{" + hello + "}"))
          .as("passed runs only")
          .isEqualTo(2);
      assertThat(value(scraped, "polyrun_probe_latency_seconds_sum{" + hello + "}")).isEqualTo(0.5);
      assertThat(value(scraped, "polyrun_probe_success{" + hello + "}")).isZero();
      assertThat(value(scraped, "polyrun_probe_last_run_timestamp_seconds{" + hello + "}"))
          .isGreaterThan(
              value(scraped, "polyrun_probe_last_success_timestamp_seconds{" + hello + "}") - 1);
    }
  }

  @Test
  void theLastSuccessMovesOnlyWhenTheCanaryPasses() throws Exception {
    try (Telemetry telemetry = telemetry()) {
      int port = telemetry.prometheusPort().orElseThrow();
      ProbeMetrics metrics = new ProbeMetrics(telemetry.meter("polyrun.probe"));
      metrics.expect("python-hello", "python");
      String series =
          "polyrun_probe_last_success_timestamp_seconds{canary=\"python-hello\",language=\"python\"}";
      double started = value(scrape(port), series);
      Thread.sleep(1100);
      metrics.record(
          new Probe.Run(
              "python-hello", "python", Probe.TIMEOUT, "deadline_exceeded", 60_000, "", "j1"));
      assertThat(value(scrape(port), series)).isEqualTo(started);

      metrics.record(
          new Probe.Run("python-hello", "python", Probe.OK, "", 200, "VERDICT_OK", "j2"));
      assertThat(value(scrape(port), series)).isGreaterThan(started + 1);
      assertThat(
              value(
                  scrape(port),
                  "polyrun_probe_success{canary=\"python-hello\",language=\"python\"}"))
          .isEqualTo(1);
    }
  }
}
