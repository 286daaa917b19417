package dev.polyrun.worker.internal.job;

import dev.polyrun.proto.v1.Limits;
import dev.polyrun.worker.language.LanguageDefinition.StageDefaults;
import dev.polyrun.sandbox.StageLimits;
import java.time.Duration;

/** A stage's limits: the request's where it set them (non-zero), the language's defaults elsewhere. */
final class StageLimitsResolver {
  private StageLimitsResolver() {}

  static StageLimits resolve(Limits requested, StageDefaults defaults) {
    return new StageLimits(
        Duration.ofMillis(pick(requested.getCpuTimeMs(), defaults.cpuTimeMs())),
        Duration.ofMillis(pick(requested.getWallTimeMs(), defaults.wallTimeMs())),
        pick(requested.getMemoryBytes(), defaults.memoryBytes()),
        (int) pick(requested.getMaxProcesses(), defaults.maxProcesses()),
        pick(requested.getOutputBytes(), defaults.outputBytes()),
        pick(requested.getFileSizeBytes(), defaults.fileSizeBytes()));
  }

  private static long pick(long requested, long fallback) {
    return requested > 0 ? requested : fallback;
  }
}
