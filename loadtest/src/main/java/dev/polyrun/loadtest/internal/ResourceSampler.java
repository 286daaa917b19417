package dev.polyrun.loadtest.internal;

import java.util.Map;

/**
 * Takes one sample of named resource figures (e.g. {@code coordinator.fds}); a test can feed a
 * series.
 */
@FunctionalInterface
public interface ResourceSampler {
  /** The current values; a figure that could not be read is left out. */
  Map<String, Double> sample();
}
