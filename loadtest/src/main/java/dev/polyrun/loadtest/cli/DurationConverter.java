package dev.polyrun.loadtest.cli;

import dev.polyrun.config.Quantities;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Reads duration options in the grammar of every polyrun setting ({@link Quantities#duration}). */
public final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    return Quantities.duration("duration", value);
  }
}
