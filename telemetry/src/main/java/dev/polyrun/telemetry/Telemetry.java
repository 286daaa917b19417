package dev.polyrun.telemetry;

import dev.polyrun.telemetry.internal.PrometheusEndpoint;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender;
import io.opentelemetry.instrumentation.runtimetelemetry.RuntimeTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One process's OpenTelemetry: the SDK with the process's resource, JVM runtime metrics, OTLP
 * export of traces, metrics and logs when configured, and a Prometheus scrape (served by the
 * process or by a small server of its own). Thread-safe; close once, at the end of the process.
 */
public final class Telemetry implements AutoCloseable {
  private final OpenTelemetrySdk sdk;
  private final PrometheusMetricReader reader;
  private final PrometheusEndpoint endpoint;
  private final RuntimeTelemetry runtime;
  private final TelemetryOptions options;
  private boolean closed;

  private Telemetry(
      OpenTelemetrySdk sdk,
      PrometheusMetricReader reader,
      PrometheusEndpoint endpoint,
      RuntimeTelemetry runtime,
      TelemetryOptions options) {
    this.sdk = sdk;
    this.reader = reader;
    this.endpoint = endpoint;
    this.runtime = runtime;
    this.options = options;
  }

  /**
   * Builds the SDK and starts the Prometheus server when asked for. OTLP exporters connect lazily:
   * an unreachable collector costs dropped batches and a logged warning, never a failed start.
   *
   * @throws UncheckedIOException when the Prometheus port cannot be bound
   */
  public static Telemetry start(TelemetryOptions options) {
    PrometheusMetricReader reader =
        options.prometheus() == TelemetryOptions.Prometheus.OFF
            ? null
            : PrometheusMetricReader.create();
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> defaults(options))
            .addPropertiesCustomizer(Telemetry::exportersWhenEndpoint)
            .addResourceCustomizer(
                (resource, config) -> resource.merge(Resource.create(attributes(options))))
            .addMeterProviderCustomizer(
                (builder, config) ->
                    reader == null ? builder : builder.registerMetricReader(reader))
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    PrometheusEndpoint endpoint = null;
    try {
      if (options.prometheus() == TelemetryOptions.Prometheus.SERVER) {
        endpoint =
            PrometheusEndpoint.start(options.prometheusHost(), options.prometheusPort(), reader);
      }
    } catch (IOException e) {
      sdk.close();
      throw new UncheckedIOException(
          "telemetry.prometheus.port: cannot serve metrics on "
              + options.prometheusHost()
              + ":"
              + options.prometheusPort()
              + ": "
              + e.getMessage(),
          e);
    }
    RuntimeTelemetry runtime = RuntimeTelemetry.create(sdk);
    Logging.process(options.serviceName());
    OpenTelemetryAppender.install(sdk);
    return new Telemetry(sdk, reader, endpoint, runtime, options);
  }

  private static Map<String, String> defaults(TelemetryOptions options) {
    Map<String, String> p = new HashMap<>();
    p.put("otel.service.name", options.serviceName());
    options.otlpEndpoint().ifPresent(e -> p.put("otel.exporter.otlp.endpoint", e));
    p.put("otel.exporter.otlp.protocol", options.otlpProtocol());
    p.put("otel.metric.export.interval", Long.toString(options.exportInterval().toMillis()));
    p.put("otel.traces.sampler", "parentbased_traceidratio");
    p.put("otel.traces.sampler.arg", Double.toString(options.traceRatio()));
    return p;
  }

  /**
   * The SDK's default exporter is OTLP, which would retry against a collector nobody runs: here a
   * signal is exported only when an OTLP endpoint is configured for it (or its exporter is named).
   */
  private static Map<String, String> exportersWhenEndpoint(ConfigProperties config) {
    Map<String, String> p = new HashMap<>();
    for (String signal : List.of("traces", "metrics", "logs")) {
      if (config.getString("otel." + signal + ".exporter") != null) {
        continue;
      }
      boolean endpoint =
          config.getString("otel.exporter.otlp.endpoint") != null
              || config.getString("otel.exporter.otlp." + signal + ".endpoint") != null;
      p.put("otel." + signal + ".exporter", endpoint ? "otlp" : "none");
    }
    return p;
  }

  private static Attributes attributes(TelemetryOptions options) {
    AttributesBuilder b =
        Attributes.builder()
            .put("service.version", options.serviceVersion())
            .put("service.instance.id", options.instanceId())
            .put("host.name", options.hostName())
            .put("process.pid", ProcessHandle.current().pid());
    options.attributes().forEach((key, value) -> put(b, key, value));
    return b.build();
  }

  @SuppressWarnings("unchecked")
  private static void put(AttributesBuilder b, String key, Object value) {
    switch (value) {
      case String s -> b.put(key, s);
      case Long l -> b.put(key, l);
      case Integer i -> b.put(key, i.longValue());
      case Double d -> b.put(key, d);
      case Boolean bool -> b.put(key, bool);
      case List<?> list ->
          b.put(AttributeKey.stringArrayKey(key), ((List<String>) list).toArray(new String[0]));
      default ->
          throw new IllegalArgumentException(
              key
                  + ": a "
                  + value.getClass().getSimpleName()
                  + " (expected: String, Long, Integer, Double, Boolean or a List of String)");
    }
  }

  /** The SDK, for instrumentation that takes an {@link OpenTelemetry}. */
  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  /** The meter of an instrumentation scope such as {@code polyrun.worker}. */
  public Meter meter(String scope) {
    return sdk.getMeter(scope);
  }

  /** The tracer of an instrumentation scope such as {@code polyrun.worker}. */
  public Tracer tracer(String scope) {
    return sdk.getTracer(scope, options.serviceVersion());
  }

  /** The options this telemetry was started with. */
  public TelemetryOptions options() {
    return options;
  }

  /**
   * Every metric in the Prometheus text format, for a process that serves its own {@code /metrics};
   * empty when the Prometheus reader is off. Blocks while observable instruments run.
   */
  public byte[] scrape() {
    return reader == null ? new byte[0] : PrometheusEndpoint.scrape(reader);
  }

  /** The content type of {@link #scrape()}. */
  public static String scrapeContentType() {
    return PrometheusEndpoint.CONTENT_TYPE;
  }

  /** The bound port of the Prometheus server, when {@link TelemetryOptions.Prometheus#SERVER}. */
  public OptionalInt prometheusPort() {
    return endpoint == null ? OptionalInt.empty() : OptionalInt.of(endpoint.port());
  }

  /**
   * Stops the Prometheus server, flushes what is buffered (up to 10 s) and shuts the SDK down.
   * Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (endpoint != null) {
      endpoint.close();
    }
    runtime.close();
    sdk.shutdown().join(10, TimeUnit.SECONDS);
  }
}
