package dev.polyrun.loadtest;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as polyrun's settings write them: {@code 500ms}, {@code 20s}, {@code 1.5m}, {@code 1h}. */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  private Durations() {}

  /** Parses a duration; IllegalArgumentException naming the value otherwise. */
  public static Duration parse(String value) {
    Matcher m = FORM.matcher(value.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("duration '" + value + "' (expected: a number and ms, s, m or h, e.g. 20s)");
    }
    double n = Double.parseDouble(m.group(1));
    double millis = switch (m.group(2)) {
      case "ms" -> n;
      case "s" -> n * 1000;
      case "m" -> n * 60_000;
      default -> n * 3_600_000;
    };
    return Duration.ofMillis(Math.round(millis));
  }
}
