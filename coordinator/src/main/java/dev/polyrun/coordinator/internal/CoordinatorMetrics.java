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
 * language and result, the depth of the jobs queue (refreshed by {@link #depth}), Redis
 * connections (pooled, readers) and how often the pool had none free, open streams and how they
 * ended.
 */
public final class CoordinatorMetrics implements AutoCloseable {
  private static final AttributeKey<String> LANGUAGE = AttributeKey.stringKey("language");
  private static final AttributeKey<String> RESULT = AttributeKey.stringKey("result");
  private static final AttributeKey<String> STATE = AttributeKey.stringKey("state");
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
  private static final AttributeKey<String> CALL = AttributeKey.stringKey("call");
  private final PrometheusMetricReader reader = PrometheusMetricReader.create();
  private final OpenTelemetrySdk sdk;
  private final LongCounter submissions;
  private final java.util.Map<String, Attributes> submissionAttributes = new java.util.concurrent.ConcurrentHashMap<>();
  private final LongCounter poolExhausted;
  private final LongCounter streamsEnded;
  private final Meter meter;
  private final AtomicReference<QueueDepth> depth = new AtomicReference<>(new QueueDepth(0, 0));

  public CoordinatorMetrics() {
    sdk = OpenTelemetrySdk.builder()
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build())
        .build();
    meter = sdk.getMeter("polyrun.coordinator");
    submissions = meter.counterBuilder("polyrun.submissions")
        .setDescription("Submissions by language and result (accepted, or the refusing status)").build();
    poolExhausted = meter.counterBuilder("polyrun.redis.pool.exhausted")
        .setDescription("Calls refused (RESOURCE_EXHAUSTED, SERVER_BUSY) because every pooled Redis connection"
            + " stayed in use for the whole pool wait, by call").build();
    streamsEnded = meter.counterBuilder("polyrun.streams.ended")
        .setDescription("Event streams ended, by reason: result, cancelled, too_slow, not_found, unavailable,"
            + " closed, failed").build();
    meter.gaugeBuilder("polyrun.queue.depth").ofLongs()
        .setDescription("Jobs in the queue: waiting for a worker, or delivered and not yet acknowledged")
        .buildWithCallback(m -> {
          QueueDepth d = depth.get();
          m.record(d.waiting(), Attributes.of(STATE, "waiting"));
          m.record(d.pending(), Attributes.of(STATE, "pending"));
        });
  }

  /**
   * Registers gauges read at each scrape: Redis connections of the pool by state, of the event
   * readers, and the open streams and jobs they follow.
   */
  public void watch(java.util.function.Supplier<dev.polyrun.queue.ConnectionStats> pool,
      java.util.function.IntSupplier readers, java.util.function.IntSupplier openStreams,
      java.util.function.IntSupplier followedJobs) {
    meter.gaugeBuilder("polyrun.redis.connections").ofLongs()
        .setDescription("Redis connections of this coordinator: pooled (active, idle), threads waiting for one,"
            + " and the event readers' own")
        .buildWithCallback(m -> {
          dev.polyrun.queue.ConnectionStats stats = pool.get();
          m.record(stats.active(), Attributes.of(STATE, "active"));
          m.record(stats.idle(), Attributes.of(STATE, "idle"));
          m.record(stats.waiting(), Attributes.of(STATE, "waiting"));
          m.record(readers.getAsInt(), Attributes.of(STATE, "reader"));
        });
    meter.gaugeBuilder("polyrun.streams.open").ofLongs()
        .setDescription("Event streams open now").buildWithCallback(m -> m.record(openStreams.getAsInt()));
    meter.gaugeBuilder("polyrun.streams.followed_jobs").ofLongs()
        .setDescription("Jobs whose events the shared readers follow now")
        .buildWithCallback(m -> m.record(followedJobs.getAsInt()));
  }

  /** A call found no free pooled Redis connection within the pool wait. */
  public void poolExhausted(String call) {
    poolExhausted.add(1, Attributes.of(CALL, call));
  }

  /** An event stream ended for {@code reason}. */
  public void streamEnded(String reason) {
    streamsEnded.add(1, Attributes.of(REASON, reason));
  }

  void submitted(String language, String result) {
    String name = language.isEmpty() ? "none" : language;
    Attributes attributes = submissionAttributes.get(name + '\0' + result);
    if (attributes == null) {
      attributes = Attributes.of(LANGUAGE, name, RESULT, result);
      if (submissionAttributes.size() < 10_000) { // bounded: languages and results are few
        submissionAttributes.put(name + '\0' + result, attributes);
      }
    }
    submissions.add(1, attributes);
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
