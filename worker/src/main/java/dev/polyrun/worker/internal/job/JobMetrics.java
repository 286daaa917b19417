package dev.polyrun.worker.internal.job;

import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.worker.sandbox.StageResult;
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

  public JobMetrics(Meter meter) {
    jobs = meter.counterBuilder("polyrun.worker.jobs").setDescription("Jobs finished, by language and verdict").build();
    stageSeconds =
        meter.histogramBuilder("polyrun.worker.stage.duration").setUnit("s")
            .setDescription("Wall time of compile and run stages").build();
    sandboxFailures =
        meter.counterBuilder("polyrun.worker.sandbox.failures").setDescription("Stages the sandbox failed to run").build();
  }

  void finished(String language, Verdict verdict) {
    jobs.add(1, Attributes.of(LANGUAGE, language, VERDICT, verdict.name()));
  }

  void stage(String stage, String language, StageResult result) {
    stageSeconds.record(result.wallTime().toNanos() / 1e9, Attributes.of(STAGE, stage, LANGUAGE, language));
    if (result.termination() == StageResult.Termination.SANDBOX_FAILURE) {
      sandboxFailures.add(1, Attributes.of(STAGE, stage, LANGUAGE, language));
    }
  }
}
