package dev.polyrun.worker.internal.job;

import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.sandbox.StageResult;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

/** The worker's job metrics: jobs by language and verdict, stage durations, sandbox failures. */
public final class JobMetrics {
  private static final AttributeKey<String> LANGUAGE = AttributeKey.stringKey("language");
  private static final AttributeKey<String> VERDICT = AttributeKey.stringKey("verdict");
  private static final AttributeKey<String> STAGE = AttributeKey.stringKey("stage");
  private final LongCounter jobs;
  private final DoubleHistogram stageSeconds;
  private final LongCounter sandboxFailures;
  private final LongCounter reclaims;
  private final LongCounter renewalsFailed;
  private final Meter meter;

  public JobMetrics(Meter meter) {
    this.meter = meter;
    reclaims = meter.counterBuilder("polyrun.worker.reclaims")
        .setDescription("Jobs taken over from a worker that stopped renewing its lease").build();
    renewalsFailed = meter.counterBuilder("polyrun.worker.lease.renewals.failed")
        .setDescription("Lease renewals that failed (Redis unreachable, or the job was taken over)").build();
    jobs = meter.counterBuilder("polyrun.worker.jobs").setDescription("Jobs finished, by language and verdict").build();
    stageSeconds =
        meter.histogramBuilder("polyrun.worker.stage.duration").setUnit("s")
            .setDescription("Wall time of compile and run stages").build();
    sandboxFailures =
        meter.counterBuilder("polyrun.worker.sandbox.failures").setDescription("Stages the sandbox failed to run").build();
  }

  /** Reports the busy slots and the dead-lettered jobs as they are read at collection. */
  public void observe(java.util.function.IntSupplier busySlots, java.util.function.LongSupplier deadLetters) {
    meter.gaugeBuilder("polyrun.worker.slots.busy").ofLongs()
        .setDescription("Slots running a job").buildWithCallback(m -> m.record(busySlots.getAsInt()));
    meter.counterBuilder("polyrun.worker.dead.letters")
        .setDescription("Jobs moved to the dead-letter stream by this worker")
        .buildWithCallback(m -> m.record(deadLetters.getAsLong()));
  }

  public void reclaimed() {
    reclaims.add(1);
  }

  public void renewalFailed() {
    renewalsFailed.add(1);
  }

  void finished(String language, Verdict verdict) {
    jobs.add(1, Attributes.of(LANGUAGE, language, VERDICT, verdict.name().replaceFirst("^VERDICT_", "")));
  }

  void stage(String stage, String language, StageResult result) {
    stageSeconds.record(result.wallTime().toNanos() / 1e9, Attributes.of(STAGE, stage, LANGUAGE, language));
    if (result.termination() == StageResult.Termination.SANDBOX_FAILURE) {
      sandboxFailures.add(1, Attributes.of(STAGE, stage, LANGUAGE, language));
    }
  }
}
