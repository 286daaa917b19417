package dev.polyrun.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.function.Supplier;

/**
 * Latency and errors of calls to Redis, after the OpenTelemetry database conventions: {@code
 * db.client.operation.duration} (seconds, by {@code db.operation.name}) and {@code
 * polyrun.redis.errors} (by {@code db.operation.name} and {@code error.type}). An operation is one
 * queue call (a script or a few commands). Calls that block waiting for data (a worker's take, a
 * stream's read) count their errors only: their time is mostly waiting. Thread-safe.
 */
public final class RedisMetrics {
  private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("db.system.name");
  private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");
  private static final AttributeKey<String> ERROR = AttributeKey.stringKey("error.type");
  private static final List<Double> BUCKETS_S =
      List.of(
          0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
          2.5, 5.0);
  private final DoubleHistogram duration;
  private final LongCounter errors;

  public RedisMetrics(Meter meter) {
    duration =
        meter
            .histogramBuilder("db.client.operation.duration")
            .setUnit("s")
            .setDescription(
                "Duration of Redis operations (one queue call: a script or a few commands)")
            .setExplicitBucketBoundariesAdvice(BUCKETS_S)
            .build();
    errors =
        meter
            .counterBuilder("polyrun.redis.errors")
            .setUnit("{error}")
            .setDescription("Redis operations that failed, by operation and error type")
            .build();
  }

  /** Runs {@code call}, recording its duration, or its failure and rethrowing it. */
  public <T> T call(String operation, Supplier<T> call) {
    return call(operation, false, call);
  }

  /** Runs a call that may block waiting for data: only its failure is recorded. */
  public <T> T blockingCall(String operation, Supplier<T> call) {
    return call(operation, true, call);
  }

  private <T> T call(String operation, boolean blocking, Supplier<T> call) {
    long started = System.nanoTime();
    try {
      T result = call.get();
      if (!blocking) {
        duration.record(
            (System.nanoTime() - started) / 1e9,
            Attributes.of(SYSTEM, "redis", OPERATION, operation));
      }
      return result;
    } catch (RuntimeException e) {
      errors.add(
          1,
          Attributes.of(
              SYSTEM, "redis", OPERATION, operation, ERROR, e.getClass().getSimpleName()));
      throw e;
    }
  }

  /** Runs a call that returns nothing. */
  public void run(String operation, Runnable call) {
    call(
        operation,
        false,
        () -> {
          call.run();
          return null;
        });
  }
}
