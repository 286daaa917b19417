package dev.polyrun.client.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The sizes and durations of command-line options, in the grammar settings and tenants files use
 * too.
 */
final class Quantities {
  private Quantities() {}

  /**
   * Bytes of a size in polyrun's one grammar ({@link dev.polyrun.config.Quantities}), above zero.
   *
   * @throws IllegalArgumentException {@code "'12q' (expected: a size like 256m, 1g, 64k)"}
   */
  static long parseSize(String text) {
    return dev.polyrun.config.Quantities.positiveSize("", text);
  }

  /**
   * A duration in polyrun's one grammar ({@link dev.polyrun.config.Quantities}), at least a
   * millisecond.
   *
   * @throws IllegalArgumentException {@code "'2x' (expected: a duration like 500ms, 2s, 5m, 1h)"}
   */
  static Duration parseDuration(String text) {
    return dev.polyrun.config.Quantities.positiveDuration("", text);
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
