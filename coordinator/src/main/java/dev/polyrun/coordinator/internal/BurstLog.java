package dev.polyrun.coordinator.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Decides when a recurring condition is logged: at the first occurrence of a burst, then at most
 * once per window while it goes on, saying how many occurrences went unlogged. Thread-safe.
 */
final class BurstLog {
  private final long windowNanos;
  private final LongSupplier nanoTime;
  private long loggedAt;
  private long unlogged;
  private boolean seen;

  BurstLog(Duration window, LongSupplier nanoTime) {
    this.windowNanos = window.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * Records one occurrence. Returns -1 when it is not to be logged, else how many earlier
   * occurrences went unlogged since the last log line (0 for the first of a burst).
   */
  synchronized long occurred() {
    long now = nanoTime.getAsLong();
    if (seen && now - loggedAt < windowNanos) {
      unlogged++;
      return -1;
    }
    seen = true;
    loggedAt = now;
    long skipped = unlogged;
    unlogged = 0;
    return skipped;
  }
}
