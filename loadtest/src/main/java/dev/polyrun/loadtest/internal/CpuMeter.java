package dev.polyrun.loadtest.internal;

import dev.polyrun.loadtest.ClusterDescription;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * CPU the cluster's workers spent between two moments, from {@code /proc/<pid>/stat} (the worker
 * and the children it has reaped: runtimes, helpers, the programs). The fallback when results carry
 * no {@code worker_cpu_ms}; only valid when the workers run on this host and did not restart.
 */
public final class CpuMeter {
  private final Map<Long, Double> start = new LinkedHashMap<>();

  private CpuMeter() {}

  /** Starts measuring the workers of {@code cluster}. */
  public static CpuMeter start(ClusterDescription cluster) {
    CpuMeter meter = new CpuMeter();
    for (ClusterDescription.ProcessInfo w : cluster.workers()) {
      Proc.cpuMs(w.pid()).ifPresent(ms -> meter.start.put(w.pid(), ms));
    }
    return meter;
  }

  /** Milliseconds of CPU since the start, or empty when a worker went away meanwhile. */
  public Optional<Double> elapsedMs() {
    if (start.isEmpty()) {
      return Optional.empty();
    }
    double total = 0;
    for (Map.Entry<Long, Double> e : start.entrySet()) {
      OptionalDouble now = Proc.cpuMs(e.getKey());
      if (now.isEmpty()) {
        return Optional.empty();
      }
      total += now.getAsDouble() - e.getValue();
    }
    return Optional.of(total);
  }
}
