package dev.polyrun.coordinator.internal;

import dev.polyrun.coordinator.CoordinatorOptions;
import dev.polyrun.coordinator.internal.telemetry.QueueGauges;
import dev.polyrun.queue.QueueDepth;
import dev.polyrun.queue.QueueSnapshot;
import dev.polyrun.telemetry.Telemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

/**
 * The coordinator's own metrics: submissions by language, tenant and outcome, and the queue's
 * figures as last read ({@link QueueGauges}). RPC metrics come from the gRPC interceptor, JVM
 * metrics from {@link Telemetry}. Scraped on {@code /metrics}.
 */
public final class CoordinatorMetrics implements AutoCloseable {
  private static final AttributeKey<String> LANGUAGE = AttributeKey.stringKey("language");
  private static final AttributeKey<String> TENANT = AttributeKey.stringKey("tenant");
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
  private final Telemetry telemetry;
  private final Authenticator authenticator;
  private final LongCounter submissions;
  private final QueueGauges queue;

  public CoordinatorMetrics(Telemetry telemetry, CoordinatorOptions options) {
    this.telemetry = telemetry;
    this.authenticator = new Authenticator(options.auth(), options.tenants());
    Meter meter = telemetry.meter("polyrun.coordinator");
    submissions =
        meter
            .counterBuilder("polyrun.submissions")
            .setUnit("{submission}")
            .setDescription(
                "Submissions by language, tenant and outcome: accepted, duplicate (an idempotent retry), "
                    + "or the refusing status (resource_exhausted, invalid_argument, unavailable, ...)")
            .build();
    queue = new QueueGauges(meter);
    this.meter = meter;
    poolExhausted =
        meter
            .counterBuilder("polyrun.redis.pool.exhausted")
            .setDescription(
                "Calls refused (RESOURCE_EXHAUSTED, SERVER_BUSY) because every pooled Redis connection"
                    + " stayed in use for the whole pool wait, by call")
            .build();
    streamsEnded =
        meter
            .counterBuilder("polyrun.streams.ended")
            .setDescription(
                "Event streams ended, by reason: result, cancelled, too_slow, not_found, unavailable,"
                    + " closed, failed")
            .build();
  }

  private static final AttributeKey<String> STATE = AttributeKey.stringKey("state");
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
  private static final AttributeKey<String> CALL = AttributeKey.stringKey("call");
  private final Meter meter;
  private final LongCounter poolExhausted;
  private final LongCounter streamsEnded;

  /**
   * Registers gauges read at each scrape: Redis connections of the pool by state, of the event
   * readers, and the open streams and jobs they follow.
   */
  public void watch(
      java.util.function.Supplier<dev.polyrun.queue.ConnectionStats> pool,
      java.util.function.IntSupplier readers,
      java.util.function.IntSupplier openStreams,
      java.util.function.IntSupplier followedJobs) {
    meter
        .gaugeBuilder("polyrun.redis.connections")
        .ofLongs()
        .setDescription(
            "Redis connections of this coordinator: pooled (active, idle), threads waiting for one,"
                + " and the event readers' own")
        .buildWithCallback(
            m -> {
              dev.polyrun.queue.ConnectionStats stats = pool.get();
              m.record(stats.active(), Attributes.of(STATE, "active"));
              m.record(stats.idle(), Attributes.of(STATE, "idle"));
              m.record(stats.waiting(), Attributes.of(STATE, "waiting"));
              m.record(readers.getAsInt(), Attributes.of(STATE, "reader"));
            });
    meter
        .gaugeBuilder("polyrun.streams.open")
        .ofLongs()
        .setDescription("Event streams open now")
        .buildWithCallback(m -> m.record(openStreams.getAsInt()));
    meter
        .gaugeBuilder("polyrun.streams.followed_jobs")
        .ofLongs()
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

  /**
   * Counts a submission of the current call; {@code outcome} is accepted, duplicate or a status.
   */
  void submitted(String language, String outcome) {
    submissions.add(
        1,
        Attributes.of(
            LANGUAGE,
            language.isEmpty() ? "none" : language,
            TENANT,
            tenantOfCall(),
            OUTCOME,
            outcome));
  }

  /** The current call's tenant; the header was checked already, so this only names it. */
  private String tenantOfCall() {
    try {
      var tenant = authenticator.authenticate(Credentials.AUTHORIZATION.get());
      return tenant.isAnonymous() ? "anonymous" : tenant.name();
    } catch (RuntimeException e) {
      return "unauthenticated";
    }
  }

  /** Records the latest queue depth, read elsewhere (off the event loop). */
  public void depth(QueueDepth latest) {
    queue.depth(latest);
  }

  /** Records the latest snapshot of the queue, read elsewhere; null when Redis did not answer. */
  public void snapshot(QueueSnapshot latest) {
    queue.snapshot(latest);
  }

  /** Prometheus text exposition of every metric. */
  public byte[] scrape() {
    return telemetry.scrape();
  }

  public static String contentType() {
    return Telemetry.scrapeContentType();
  }

  /** The telemetry is its owner's to close. */
  @Override
  public void close() {}
}
