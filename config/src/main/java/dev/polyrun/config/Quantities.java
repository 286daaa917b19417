package dev.polyrun.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar of sizes, durations and counts, used by the settings file, the environment, the
 * tenants file and the CLI alike. Units are case-insensitive.
 *
 * <ul>
 *   <li>A size is a whole number of bytes, or one with a binary unit {@code k}, {@code m}, {@code
 *       g} or {@code t} (KiB, MiB, GiB, TiB), optionally followed by {@code b} or {@code ib}:
 *       {@code 65536}, {@code 64k}, {@code 256m}, {@code 256MiB}, {@code 1G}.
 *   <li>A duration is a number (decimals allowed) with a unit {@code ms}, {@code s}, {@code m}
 *       (minutes) or {@code h}, rounded to whole milliseconds: {@code 500ms}, {@code 2s}, {@code
 *       1.5s}, {@code 5m}, {@code 1h}.
 * </ul>
 *
 * <p>Every error names the setting, repeats the value and says what was expected, e.g. {@code
 * run.memory: '12q' (expected: a size like 256m, 1g, 64k)}.
 */
public final class Quantities {
  /** What a size looks like, for error messages. */
  public static final String SIZE_EXPECTED = "expected: a size like 256m, 1g, 64k";

  /** What a duration looks like, for error messages. */
  public static final String DURATION_EXPECTED = "expected: a duration like 500ms, 2s, 5m, 1h";

  private static final Pattern SIZE = Pattern.compile("(\\d{1,19})(?:([kmgt])(?:i?b)?|b)?");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,12}(?:\\.\\d{1,9})?)(ms|s|m|h)");

  private Quantities() {}

  /**
   * Bytes of a size (see the class comment); zero is allowed, negative values are not.
   *
   * @param name what the value is, for the error message
   * @throws IllegalArgumentException naming {@code name} and the value
   */
  public static long size(String name, String text) {
    Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      int shift =
          m.group(2) == null
              ? 0
              : switch (m.group(2)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                default -> 40;
              };
      try {
        return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
      } catch (ArithmeticException | NumberFormatException e) {
        throw invalid(name, text, SIZE_EXPECTED + ", below 8 EiB");
      }
    }
    throw invalid(name, text, SIZE_EXPECTED);
  }

  /**
   * A duration (see the class comment), rounded to whole milliseconds; zero is allowed.
   *
   * @param name what the value is, for the error message
   * @throws IllegalArgumentException naming {@code name} and the value
   */
  public static Duration duration(String name, String text) {
    Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw invalid(name, text, DURATION_EXPECTED);
    }
    long perUnit =
        switch (m.group(2)) {
          case "ms" -> 1;
          case "s" -> 1_000;
          case "m" -> 60_000;
          default -> 3_600_000;
        };
    BigDecimal millis =
        new BigDecimal(m.group(1))
            .multiply(BigDecimal.valueOf(perUnit))
            .setScale(0, RoundingMode.HALF_UP);
    return Duration.ofMillis(millis.longValueExact());
  }

  /**
   * Bytes of a size above zero, for a value where zero would mean "unset" (a limit).
   *
   * @param name what the value is, for the error message
   * @throws IllegalArgumentException {@code "memory: '0' (expected: a size like 256m, 1g, 64k,
   *     above zero)"}
   */
  public static long positiveSize(String name, String text) {
    long bytes = size(name, text);
    if (bytes <= 0) {
      throw invalid(name, text, SIZE_EXPECTED + ", above zero");
    }
    return bytes;
  }

  /**
   * A duration of at least a millisecond, for a value where zero would mean "unset" (a limit).
   *
   * @param name what the value is, for the error message
   * @throws IllegalArgumentException {@code "cpu-time: '0s' (expected: a duration like 500ms, 2s,
   *     5m, 1h, of at least 1ms)"}
   */
  public static Duration positiveDuration(String name, String text) {
    Duration d = duration(name, text);
    if (d.toMillis() <= 0) {
      throw invalid(name, text, DURATION_EXPECTED + ", of at least 1ms");
    }
    return d;
  }

  /**
   * A whole number in {@code min..max}.
   *
   * @throws IllegalArgumentException {@code "processes: 'x' (expected: an integer from 1 to
   *     65535)"}
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
    throw invalid(name, text, "expected: an integer from " + min + " to " + max);
  }

  private static IllegalArgumentException invalid(String name, String text, String expected) {
    String prefix = name == null || name.isEmpty() ? "" : name + ": ";
    return new IllegalArgumentException(prefix + "'" + text + "' (" + expected + ")");
  }
}
