package dev.polyrun.coordinator.bench;

import java.util.Arrays;
import java.util.Locale;

/** Latencies of one kind of outcome, recorded from many threads; percentiles at the end. */
final class Latencies {
  private long[] nanos = new long[1 << 16];
  private int count;

  synchronized void add(long latencyNanos) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = latencyNanos;
  }

  synchronized int count() {
    return count;
  }

  /** The {@code p}-th percentile in milliseconds (0 without samples). */
  synchronized double percentileMillis(double p) {
    if (count == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int index = (int) Math.min(count - 1, Math.max(0, Math.ceil(p / 100 * count) - 1));
    return sorted[index] / 1e6;
  }

  String summary() {
    return String.format(
        Locale.ROOT,
        "n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms",
        count(),
        percentileMillis(50),
        percentileMillis(90),
        percentileMillis(99),
        percentileMillis(100));
  }
}
