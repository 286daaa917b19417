package dev.polyrun.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelemetryTest {
  @Test
  void theScrapeHoldsTheProcessResourceAndItsMetricsInPrometheusNames() {
    TelemetryOptions options =
        TelemetryOptions.builder("polyrun-test")
            .instanceId("i-1")
            .serviceVersion("9.9")
            .attribute("polyrun.worker.languages", List.of("c", "python"))
            .attribute("polyrun.worker.slots", 4)
            .build();
    try (Telemetry telemetry = Telemetry.start(options)) {
      telemetry.meter("test").counterBuilder("polyrun.things").setUnit("{thing}").build().add(3);
      telemetry.meter("test").histogramBuilder("polyrun.wait").setUnit("s").build().record(0.2);

      String scrape = new String(telemetry.scrape(), StandardCharsets.UTF_8);

      assertThat(scrape)
          .containsPattern("polyrun_things_total\\{[^}]*\\} 3")
          .contains("polyrun_wait_seconds_bucket")
          .containsPattern("target_info\\{[^}]*service_name=\"polyrun-test\"")
          .containsPattern("target_info\\{[^}]*service_instance_id=\"i-1\"")
          .containsPattern("target_info\\{[^}]*service_version=\"9.9\"")
          .containsPattern("target_info\\{[^}]*polyrun_worker_slots=\"4\"")
          .contains("jvm_memory_used_bytes");
      assertThat(telemetry.prometheusPort()).isEmpty();
    }
  }

  @Test
  void aPrometheusServerOfItsOwnServesMetricsOnLoopback() throws Exception {
    try (Telemetry telemetry =
        Telemetry.start(
            TelemetryOptions.builder("polyrun-test").prometheusServer("127.0.0.1", 0).build())) {
      telemetry.meter("test").counterBuilder("polyrun.served").build().add(1);
      int port = telemetry.prometheusPort().orElseThrow();

      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("polyrun_served_total");
    }
  }

  @Test
  void settingsAreReadAndABadValueIsNamedWithWhatWasExpected() {
    TelemetryOptions options =
        TelemetryOptions.fromSettings(
                "polyrun-test",
                key ->
                    switch (key) {
                      case "telemetry.otlp.endpoint" -> "http://127.0.0.1:4317";
                      case "telemetry.export-interval" -> "500ms";
                      case "telemetry.trace-ratio" -> "0.25";
                      default -> null;
                    })
            .build();

    assertThat(options.otlpEndpoint()).contains("http://127.0.0.1:4317");
    assertThat(options.exportInterval().toMillis()).isEqualTo(500);
    assertThat(options.traceRatio()).isEqualTo(0.25);
    assertThatThrownBy(
            () ->
                TelemetryOptions.fromSettings(
                    "x", k -> k.equals("telemetry.otlp.endpoint") ? "collector:4317" : null))
        .hasMessage(
            "telemetry.otlp.endpoint: 'collector:4317' (expected: a URL such as http://127.0.0.1:4317)");
    assertThatThrownBy(
            () ->
                TelemetryOptions.fromSettings(
                    "x", k -> k.equals("telemetry.otlp.protocol") ? "thrift" : null))
        .hasMessage("telemetry.otlp.protocol: 'thrift' (expected: grpc or http/protobuf)");
    assertThatThrownBy(
            () ->
                TelemetryOptions.fromSettings(
                    "x", k -> k.equals("telemetry.trace-ratio") ? "2" : null))
        .hasMessage("telemetry.trace-ratio: 2.0 (expected: a number from 0 to 1)");
  }

  @Test
  void toBuilderKeepsEveryOptionAndAddsAttributes() {
    TelemetryOptions options =
        TelemetryOptions.builder("polyrun-test")
            .instanceId("i-1")
            .serviceVersion("9.9")
            .hostName("h")
            .attribute("a", "1")
            .prometheusServer("127.0.0.2", 9400)
            .otlpEndpoint("http://127.0.0.1:4317")
            .otlpProtocol("http/protobuf")
            .exportInterval(java.time.Duration.ofSeconds(7))
            .traceRatio(0.5)
            .build();

    TelemetryOptions copy = options.toBuilder().attribute("b", 2L).build();

    assertThat(copy).usingRecursiveComparison().ignoringFields("attributes").isEqualTo(options);
    assertThat(copy.attributes()).containsEntry("a", "1").containsEntry("b", 2L);
    assertThat(options.attributes()).doesNotContainKey("b");
  }
}
