package dev.polyrun.worker.internal.telemetry;

import java.time.Instant;

/** Wall-clock time in nanoseconds since the epoch, as span timestamps want it. */
final class EpochNanos {
  private EpochNanos() {}

  static long now() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
