package dev.polyrun.worker.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.sandbox.RuntimeFacts;
import dev.polyrun.sandbox.RuntimeFacts.Feature;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker's telemetry on a real SDK, read back by an in-memory reader. */
class WorkerTelemetryTest {
  private static final RuntimeFacts FACTS =
      new RuntimeFacts(
          "runc",
          "runc version 1.1.5+ds1",
          "v1",
          "SCMP_ARCH_X86_64",
          "100000-165535",
          List.of(
              new Feature("user namespace", true, true, "uid_map 0 100000 65536"),
              new Feature("memory+swap limit", false, false, "no swap accounting"),
              new Feature(
                  "tcp buffer limit", true, false, "memory.kmem.tcp.limit_in_bytes missing")));

  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build())
          .build();
  private final WorkerTelemetry telemetry = new WorkerTelemetry(sdk, "w1");

  @AfterEach
  void close() {
    sdk.close();
  }

  private MetricData metric(String name) {
    return reader.collectAllMetrics().stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name));
  }

  @Test
  void eachFeatureOfTheSandboxIsAGaugeOfWhetherItTookEffect() {
    telemetry.sandboxFacts(FACTS);

    Map<Attributes, Long> points =
        metric("polyrun.worker.sandbox.feature").getLongGaugeData().getPoints().stream()
            .collect(Collectors.toMap(LongPointData::getAttributes, LongPointData::getValue));
    AttributeKey<String> feature = AttributeKey.stringKey("feature");
    AttributeKey<Boolean> required = AttributeKey.booleanKey("required");
    assertThat(points)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                Attributes.of(feature, "user_namespace", required, true), 1L,
                Attributes.of(feature, "memory_swap_limit", required, false), 0L,
                Attributes.of(feature, "tcp_buffer_limit", required, true), 0L));
  }

  @Test
  void theRuntimeAndCgroupVersionsAreTheAttributesOfAnInfoGauge() {
    telemetry.sandboxFacts(FACTS);

    List<LongPointData> points =
        List.copyOf(metric("polyrun.worker.sandbox.info").getLongGaugeData().getPoints());
    assertThat(points).hasSize(1);
    assertThat(points.get(0).getValue()).isEqualTo(1);
    assertThat(points.get(0).getAttributes().asMap())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                AttributeKey.stringKey("runtime"), "runc",
                AttributeKey.stringKey("runtime_version"), "runc version 1.1.5+ds1",
                AttributeKey.stringKey("cgroup_version"), "v1",
                AttributeKey.stringKey("architecture"), "SCMP_ARCH_X86_64"));
  }
}
