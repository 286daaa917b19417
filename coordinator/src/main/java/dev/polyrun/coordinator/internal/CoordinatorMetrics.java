package dev.polyrun.coordinator.internal;

import dev.polyrun.queue.QueueDepth;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The coordinator's OpenTelemetry metrics, read by Prometheus on {@code /metrics}: submissions by
 * language and result, and the depth of the jobs queue (refreshed by {@link #depth}).
 */
public final class CoordinatorMetrics implements AutoCloseable {
  private static final AttributeKey<String> LANGUAGE = AttributeKey.stringKey("language");
  private static final AttributeKey<String> RESULT = AttributeKey.stringKey("result");
  private static final AttributeKey<String> STATE = AttributeKey.stringKey("state");
  private final PrometheusMetricReader reader = PrometheusMetricReader.create();
  private final OpenTelemetrySdk sdk;
  private final LongCounter submissions;
  private final AtomicReference<QueueDepth> depth = new AtomicReference<>(new QueueDepth(0, 0));

  public CoordinatorMetrics() {
    sdk = OpenTelemetrySdk.builder()
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build())
        .build();
    Meter meter = sdk.getMeter("polyrun.coordinator");
    submissions = meter.counterBuilder("polyrun.submissions")
        .setDescription("Submissions by language and result (accepted, or the refusing status)").build();
    meter.gaugeBuilder("polyrun.queue.depth").ofLongs()
        .setDescription("Jobs in the queue: waiting for a worker, or delivered and not yet acknowledged")
        .buildWithCallback(m -> {
          QueueDepth d = depth.get();
          m.record(d.waiting(), Attributes.of(STATE, "waiting"));
          m.record(d.pending(), Attributes.of(STATE, "pending"));
        });
  }

  void submitted(String language, String result) {
    submissions.add(1, Attributes.of(LANGUAGE, language.isEmpty() ? "none" : language, RESULT, result));
  }

  /** Records the latest queue depth, read elsewhere (off the event loop). */
  public void depth(QueueDepth latest) {
    depth.set(latest);
  }

  /** Prometheus text exposition of every metric. */
  public byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, reader.collect(), EscapingScheme.UNDERSCORE_ESCAPING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  @Override
  public void close() {
    sdk.close();
  }
}
