package dev.polyrun.loadtest.cli;

import dev.polyrun.loadtest.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Reads duration options with {@link Durations#parse}. */
public final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    return Durations.parse(value);
  }
}
