package dev.polyrun.loadtest;

import java.util.Collection;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * Percentiles of a set of durations, in milliseconds, from an HdrHistogram of microseconds (three
 * significant digits, up to an hour).
 *
 * @param count how many values
 * @param p50 median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param max largest value
 * @param mean arithmetic mean
 */
public record Latency(long count, double p50, double p90, double p99, double max, double mean) {
  private static final long HIGHEST_MICROS = 3_600_000_000L;

  /** No values. */
  public static final Latency EMPTY =
      new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /** Percentiles of the given milliseconds; NaN values are skipped. */
  public static <T> Latency of(Collection<T> items, ToDoubleFunction<T> millis) {
    Histogram h = new Histogram(HIGHEST_MICROS, 3);
    for (T item : items) {
      double ms = millis.applyAsDouble(item);
      if (!Double.isNaN(ms)) {
        h.recordValue(Math.max(0, Math.min(HIGHEST_MICROS, Math.round(ms * 1000))));
      }
    }
    return of(h);
  }

  /** Percentiles of a histogram of microseconds. */
  public static Latency of(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return EMPTY;
    }
    return new Latency(
        micros.getTotalCount(),
        ms(micros.getValueAtPercentile(50)),
        ms(micros.getValueAtPercentile(90)),
        ms(micros.getValueAtPercentile(99)),
        ms(micros.getMaxValue()),
        micros.getMean() / 1000.0);
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }
}
