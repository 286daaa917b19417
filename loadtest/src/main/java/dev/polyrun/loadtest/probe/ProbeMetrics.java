package dev.polyrun.loadtest.probe;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The probe's OpenTelemetry metrics, per canary (labels {@code canary} and {@code language}):
 *
 * <ul>
 *   <li>{@code polyrun_probe_runs_total{canary,language,outcome,reason}}: runs by outcome ({@code
 *       ok}, {@code wrong_output}, {@code timeout}, {@code error}) and, when not ok, the reason
 *       ({@link Probe.Run#reason()});
 *   <li>{@code polyrun_probe_latency_seconds{canary,language}} (histogram): runs that passed, from
 *       sending the canary to its result;
 *   <li>{@code polyrun_probe_success{canary,language}}: 1 when the last run passed, else 0;
 *   <li>{@code polyrun_probe_last_success_timestamp_seconds{canary,language}}: when the canary last
 *       passed, seconds since the epoch; the probe's start until it first passes, so that "no
 *       success for N minutes" also fires for a canary that never passed;
 *   <li>{@code polyrun_probe_last_run_timestamp_seconds{canary,language}}: when it last ran.
 * </ul>
 *
 * <p>The instruments live on the meter the probe's telemetry gives (scrape and OTLP as the
 * telemetry module configures them). Thread-safe.
 */
public final class ProbeMetrics {
  private static final AttributeKey<String> CANARY = AttributeKey.stringKey("canary");
  private static final AttributeKey<String> LANGUAGE = AttributeKey.stringKey("language");
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
  private static final List<Double> BUCKETS =
      List.of(0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0);

  private final LongCounter runs;
  private final DoubleHistogram latency;
  private final double startedAt = System.currentTimeMillis() / 1000.0;
  private final Map<Attributes, Double> success = new ConcurrentHashMap<>();
  private final Map<Attributes, Double> lastSuccess = new ConcurrentHashMap<>();
  private final Map<Attributes, Double> lastRun = new ConcurrentHashMap<>();

  /** Creates the instruments on {@code meter} (the scope {@code polyrun.probe}). */
  public ProbeMetrics(Meter meter) {
    runs =
        meter
            .counterBuilder("polyrun.probe.runs")
            .setUnit("{run}")
            .setDescription(
                "Canary runs by outcome (ok: the exact output and verdict expected) and reason of a failure")
            .build();
    latency =
        meter
            .histogramBuilder("polyrun.probe.latency")
            .setUnit("s")
            .setDescription("Time from sending a canary to its expected result")
            .setExplicitBucketBoundariesAdvice(BUCKETS)
            .build();
    gauge(
        meter, "polyrun.probe.success", "", "1 when the canary's last run passed, else 0", success);
    gauge(
        meter,
        "polyrun.probe.last_success_timestamp",
        "s",
        "When the canary last passed (the probe's start until it first does), seconds since the epoch",
        lastSuccess);
    gauge(
        meter,
        "polyrun.probe.last_run_timestamp",
        "s",
        "When the canary last ran, seconds since the epoch",
        lastRun);
  }

  private static void gauge(
      Meter meter, String name, String unit, String description, Map<Attributes, Double> values) {
    meter
        .gaugeBuilder(name)
        .setUnit(unit)
        .setDescription(description)
        .buildWithCallback(m -> values.forEach((canary, v) -> m.record(v, canary)));
  }

  /**
   * Declares a canary before its first run, so that its last-success time (the probe's start) is
   * exported from the start.
   */
  public void expect(String canary, String language) {
    lastSuccess.putIfAbsent(Attributes.of(CANARY, canary, LANGUAGE, language), startedAt);
  }

  /** Records one canary run. */
  public void record(Probe.Run run) {
    Attributes canary = Attributes.of(CANARY, run.canary(), LANGUAGE, run.language());
    double now = System.currentTimeMillis() / 1000.0;
    if (run.ok()) {
      runs.add(1, canary.toBuilder().put(OUTCOME, run.outcome()).build());
      latency.record(run.latencyMs() / 1000.0, canary);
      lastSuccess.put(canary, now);
    } else {
      runs.add(1, canary.toBuilder().put(OUTCOME, run.outcome()).put(REASON, run.reason()).build());
      lastSuccess.putIfAbsent(canary, startedAt);
    }
    success.put(canary, run.ok() ? 1.0 : 0.0);
    lastRun.put(canary, now);
  }
}
