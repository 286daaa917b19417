package dev.polyrun.telemetry;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as polyrun's settings write them: {@code 500ms}, {@code 25s}, {@code 5m}, {@code 1h}. */
final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h)");

  private Durations() {}

  static Duration parse(String key, String raw) {
    Matcher m = FORM.matcher(raw.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(key + ": '" + raw + "' (expected: a duration such as 500ms, 25s, 5m, 1h)");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
