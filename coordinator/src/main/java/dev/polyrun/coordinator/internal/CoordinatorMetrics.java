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
    submissions = meter.counterBuilder("polyrun.submissions").setUnit("{submission}")
        .setDescription("Submissions by language, tenant and outcome: accepted, duplicate (an idempotent retry), "
            + "or the refusing status (resource_exhausted, invalid_argument, unavailable, ...)").build();
    queue = new QueueGauges(meter);
  }

  /** Counts a submission of the current call; {@code outcome} is accepted, duplicate or a status. */
  void submitted(String language, String outcome) {
    submissions.add(1, Attributes.of(LANGUAGE, language.isEmpty() ? "none" : language, TENANT, tenantOfCall(),
        OUTCOME, outcome));
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
