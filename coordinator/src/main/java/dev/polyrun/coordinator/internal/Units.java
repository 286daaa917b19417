package dev.polyrun.coordinator.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the sizes and durations of configuration values; errors name the value and the form. */
public final class Units {
  private static final Pattern SIZE = Pattern.compile("(\\d{1,19})([kmg]?)");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,15})(ms|s|m|h)");

  private Units() {}

  /**
   * Bytes: a whole number with an optional binary unit {@code k}, {@code m} or {@code g} (KiB, MiB,
   * GiB); a bare number is bytes.
   *
   * @throws IllegalArgumentException {@code "memory: '12q' (expected: a size like 256m, 1g, 64k)"}
   */
  public static long size(String name, String text) {
    Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      int shift = switch (m.group(2)) {
        case "k" -> 10;
        case "m" -> 20;
        case "g" -> 30;
        default -> 0;
      };
      try {
        return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
      } catch (ArithmeticException | NumberFormatException e) {
        // too large: reported below
      }
    }
    throw new IllegalArgumentException(name + ": '" + text + "' (expected: a size like 256m, 1g, 64k)");
  }

  /**
   * A duration: a whole number with the unit {@code ms}, {@code s}, {@code m} or {@code h}.
   *
   * @throws IllegalArgumentException {@code "wall time: '2x' (expected: a duration like 500ms,
   *     2s, 5m, 1h)"}
   */
  public static Duration duration(String name, String text) {
    Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(name + ": '" + text + "' (expected: a duration like 500ms, 2s, 5m, 1h)");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /**
   * A whole number in {@code min..max}.
   *
   * @throws IllegalArgumentException {@code "processes: 'x' (expected: an integer from 1 to 65535)"}
   */
  public static long integer(String name, String text, long min, long max) {
    try {
      long value = Long.parseLong(text.strip());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + ": '" + text + "' (expected: an integer from " + min + " to " + max + ")");
  }
}
