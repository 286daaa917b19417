package dev.polyrun.loadtest.probe;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The probe's OpenTelemetry metrics, per canary: {@code polyrun_probe_runs_total{canary,outcome}},
 * {@code polyrun_probe_latency_seconds{canary}} (histogram), {@code polyrun_probe_success{canary}}
 * (1 when the last run passed, else 0) and {@code polyrun_probe_last_run_timestamp_seconds}.
 * Exported on a Prometheus scrape endpoint on 127.0.0.1 and, when {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code OTEL_EXPORTER_OTLP_METRICS_ENDPOINT}) is set, by OTLP over
 * HTTP/protobuf every {@code OTEL_METRIC_EXPORT_INTERVAL} milliseconds (default 60000), as service
 * {@code OTEL_SERVICE_NAME} (default {@code polyrun-probe}). Closing
 * flushes the OTLP exporter and stops the endpoint.
 */
public final class ProbeMetrics implements AutoCloseable {
  private static final AttributeKey<String> CANARY = AttributeKey.stringKey("canary");
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final List<Double> BUCKETS = List.of(0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0);

  private final SdkMeterProvider provider;
  private final LongCounter runs;
  private final DoubleHistogram latency;
  private final Map<String, Double> success = new ConcurrentHashMap<>();
  private final Map<String, Double> lastRun = new ConcurrentHashMap<>();
  private final Optional<String> otlpEndpoint;

  /**
   * Starts the exporters.
   *
   * @param prometheusPort port of the scrape endpoint on 127.0.0.1; 0 for none
   * @param env the environment that configures OTLP (the process's, or a test's)
   */
  public ProbeMetrics(int prometheusPort, Map<String, String> env) {
    String service = env.getOrDefault("OTEL_SERVICE_NAME", "polyrun-probe");
    SdkMeterProviderBuilder builder = SdkMeterProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, service))));
    if (prometheusPort > 0) {
      builder.registerMetricReader(PrometheusHttpServer.builder().setHost("127.0.0.1").setPort(prometheusPort).build());
    }
    otlpEndpoint = otlpEndpoint(env);
    otlpEndpoint.ifPresent(endpoint -> {
      long interval = Long.parseLong(env.getOrDefault("OTEL_METRIC_EXPORT_INTERVAL", "60000"));
      builder.registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder().setEndpoint(endpoint).build())
          .setInterval(Duration.ofMillis(interval)).build());
    });
    provider = builder.build();
    Meter meter = provider.get("polyrun.probe");
    runs = meter.counterBuilder("polyrun.probe.runs").setUnit("{run}")
        .setDescription("Canary runs by outcome (success: the exact output and verdict expected)").build();
    latency = meter.histogramBuilder("polyrun.probe.latency").setUnit("s")
        .setDescription("Time from sending a canary to its result").setExplicitBucketBoundariesAdvice(BUCKETS).build();
    meter.gaugeBuilder("polyrun.probe.success").setDescription("1 when the canary's last run succeeded, else 0")
        .buildWithCallback(m -> success.forEach((canary, v) -> m.record(v, Attributes.of(CANARY, canary))));
    meter.gaugeBuilder("polyrun.probe.last_run_timestamp").setUnit("s")
        .setDescription("When the canary last ran, seconds since the epoch")
        .buildWithCallback(m -> lastRun.forEach((canary, v) -> m.record(v, Attributes.of(CANARY, canary))));
  }

  /** The OTLP metrics endpoint the environment names, if any. */
  static Optional<String> otlpEndpoint(Map<String, String> env) {
    String metrics = env.get("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");
    if (metrics != null && !metrics.isBlank()) {
      return Optional.of(metrics.strip());
    }
    String base = env.get("OTEL_EXPORTER_OTLP_ENDPOINT");
    if (base == null || base.isBlank()) {
      return Optional.empty();
    }
    String b = base.strip();
    return Optional.of((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + "/v1/metrics");
  }

  /** Where OTLP goes, if anywhere. */
  public Optional<String> otlp() {
    return otlpEndpoint;
  }

  /** Records one canary run. */
  public void record(String canary, boolean ok, double seconds) {
    runs.add(1, Attributes.of(CANARY, canary, OUTCOME, ok ? "success" : "failure"));
    if (!Double.isNaN(seconds)) {
      latency.record(seconds, Attributes.of(CANARY, canary));
    }
    success.put(canary, ok ? 1.0 : 0.0);
    lastRun.put(canary, System.currentTimeMillis() / 1000.0);
  }

  @Override
  public void close() {
    provider.forceFlush().join(10, TimeUnit.SECONDS);
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }
}
