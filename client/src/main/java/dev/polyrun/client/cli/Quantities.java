package dev.polyrun.client.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The sizes and durations of command-line options, in the grammar settings and tenants files use too. */
final class Quantities {
  static final String SIZE_EXPECTED = dev.polyrun.config.Quantities.SIZE_EXPECTED;
  static final String DURATION_EXPECTED = dev.polyrun.config.Quantities.DURATION_EXPECTED;

  private Quantities() {}

  /**
   * Bytes of a size in polyrun's one grammar ({@link dev.polyrun.config.Quantities}), above zero.
   *
   * @throws IllegalArgumentException {@code "'12q' (expected: a size like 256m, 1g, 64k)"}
   */
  static long parseSize(String text) {
    long bytes = dev.polyrun.config.Quantities.size("", text);
    if (bytes <= 0) {
      throw new IllegalArgumentException("'" + text + "' (" + SIZE_EXPECTED + ", above zero)");
    }
    return bytes;
  }

  /**
   * A duration in polyrun's one grammar ({@link dev.polyrun.config.Quantities}), at least a
   * millisecond.
   *
   * @throws IllegalArgumentException {@code "'2x' (expected: a duration like 500ms, 2s, 5m, 1h)"}
   */
  static Duration parseDuration(String text) {
    Duration d = dev.polyrun.config.Quantities.duration("", text);
    if (d.toMillis() <= 0) {
      throw new IllegalArgumentException("'" + text + "' (" + DURATION_EXPECTED + ", of at least 1ms)");
    }
    return d;
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
