package dev.polyrun.coordinator.internal;

import java.time.Duration;

/** Durations as people write them in configuration: {@code 1h}, {@code 30m}, {@code 90s}. */
final class Retention {
  private Retention() {}

  static String text(Duration d) {
    long s = d.toSeconds();
    if (s >= 3600 && s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s >= 60 && s % 60 == 0) {
      return s / 60 + "m";
    }
    return s > 0 ? s + "s" : d.toMillis() + "ms";
  }
}
