package dev.polyrun.coordinator.internal;

import dev.polyrun.coordinator.StageMaxima;
import dev.polyrun.proto.v1.Limits;
import java.util.List;

/**
 * Makes a stage's limits explicit: each field is the request's (when set) or the language's
 * default, checked against the maxima that apply to the caller. A requested value above its
 * maximum is a violation naming the allowed range, or is lowered to the maximum when the request
 * asks for clamping; a default above it is lowered silently (the caller asked for nothing). Pure.
 */
final class LimitsResolver {
  private final StageMaxima max;
  private final boolean clamp;

  LimitsResolver(StageMaxima max, boolean clamp) {
    this.max = max;
    this.clamp = clamp;
  }

  /**
   * The stage's explicit limits. A field that is zero both in the request and in the defaults stays
   * zero (the worker's own default).
   */
  Limits resolve(String field, Limits requested, Limits defaults, List<Violation> v) {
    return Limits.newBuilder()
        .setCpuTimeMs(pick(field + ".cpu_time_ms", requested.getCpuTimeMs(), defaults.getCpuTimeMs(), max.cpuTimeMs(), v))
        .setWallTimeMs(pick(field + ".wall_time_ms", requested.getWallTimeMs(), defaults.getWallTimeMs(), max.wallTimeMs(), v))
        .setMemoryBytes(pick(field + ".memory_bytes", requested.getMemoryBytes(), defaults.getMemoryBytes(), max.memoryBytes(), v))
        .setMaxProcesses((int) pick(field + ".max_processes", requested.getMaxProcesses(), defaults.getMaxProcesses(),
            max.maxProcesses(), v))
        .setOutputBytes(pick(field + ".output_bytes", requested.getOutputBytes(), defaults.getOutputBytes(), max.outputBytes(), v))
        .setFileSizeBytes(pick(field + ".file_size_bytes", requested.getFileSizeBytes(), defaults.getFileSizeBytes(),
            max.fileSizeBytes(), v))
        .build();
  }

  private long pick(String field, long requested, long fallback, long maximum, List<Violation> v) {
    if (requested < 0 || (requested > maximum && !clamp)) {
      v.add(new Violation(field, requested + " (expected: 0 for the default, or 1.." + maximum + ")"
          + (requested > maximum ? ", or set clamp_limits to lower it to the maximum" : ""),
          requested > maximum ? Reason.LIMIT_ABOVE_MAXIMUM : Reason.INVALID_REQUEST));
      return 0;
    }
    long value = requested > 0 ? requested : fallback;
    return Math.min(value, maximum);
  }
}
