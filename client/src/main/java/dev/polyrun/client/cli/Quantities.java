package dev.polyrun.client.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses the sizes and durations of command-line options; errors say what was expected. */
final class Quantities {
  static final String SIZE_EXPECTED = "expected: a size like 256m, 1g, 64k";
  static final String DURATION_EXPECTED = "expected: a duration like 2s, 500ms, 1m";

  private static final Pattern SIZE = Pattern.compile("(\\d{1,19})([kmg]?)");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,12}(?:\\.\\d{1,9})?)(ms|s|m)");

  private Quantities() {}

  /**
   * Bytes of a size: a whole number with an optional binary unit {@code k}, {@code m} or {@code g}
   * (KiB, MiB, GiB; any case); a bare number is bytes. Must be above zero.
   *
   * @throws IllegalArgumentException {@code "'12q' (expected: a size like 256m, 1g, 64k)"}
   */
  static long parseSize(String text) {
    Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw invalid(text, SIZE_EXPECTED);
    }
    int shift =
        switch (m.group(2)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          default -> 0;
        };
    try {
      long number = Long.parseLong(m.group(1));
      long bytes = Math.multiplyExact(number, 1L << shift);
      if (bytes <= 0) {
        throw invalid(text, SIZE_EXPECTED + ", above zero");
      }
      return bytes;
    } catch (NumberFormatException | ArithmeticException e) {
      throw invalid(text, SIZE_EXPECTED + ", below 8 EiB");
    }
  }

  /**
   * A duration: a number (decimals allowed) with the unit {@code ms}, {@code s} or {@code m}
   * (minutes), rounded to whole milliseconds. Must be at least one millisecond.
   *
   * @throws IllegalArgumentException {@code "'2x' (expected: a duration like 2s, 500ms, 1m)"}
   */
  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw invalid(text, DURATION_EXPECTED);
    }
    long perUnit =
        switch (m.group(2)) {
          case "ms" -> 1;
          case "s" -> 1_000;
          default -> 60_000;
        };
    BigDecimal millis =
        new BigDecimal(m.group(1))
            .multiply(BigDecimal.valueOf(perUnit))
            .setScale(0, RoundingMode.HALF_UP);
    if (millis.signum() <= 0) {
      throw invalid(text, DURATION_EXPECTED + ", of at least 1ms");
    }
    return Duration.ofMillis(millis.longValueExact());
  }

  private static IllegalArgumentException invalid(String text, String expected) {
    return new IllegalArgumentException("'" + text + "' (" + expected + ")");
  }

  /** picocli converter of {@link #parseSize}. */
  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return parseSize(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** picocli converter of {@link #parseDuration}. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return parseDuration(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
