package dev.polyrun.worker.internal.telemetry;

import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.sandbox.StageResult;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The worker's job, stage and sandbox instruments. Verdicts are written without their {@code
 * VERDICT_} prefix ({@code OK}, {@code INTERNAL_ERROR}).
 */
final class WorkerInstruments {
  static final AttributeKey<String> LANGUAGE = AttributeKey.stringKey("language");
  static final AttributeKey<String> VERDICT = AttributeKey.stringKey("verdict");
  static final AttributeKey<String> STAGE = AttributeKey.stringKey("stage");
  static final AttributeKey<String> PHASE = AttributeKey.stringKey("phase");
  static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
  static final AttributeKey<String> STREAM = AttributeKey.stringKey("stream");
  static final AttributeKey<Boolean> RECLAIMED = AttributeKey.booleanKey("reclaimed");

  /**
   * Seconds: a sandbox phase of a few milliseconds up to a stage that runs into its minute-long
   * limit.
   */
  static final List<Double> SECONDS =
      List.of(
          0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
          300.0);

  private final LongCounter jobs;
  private final LongCounter internalErrors;
  private final LongCounter outputBytes;
  private final LongCounter claims;
  private final DoubleHistogram queueWait;
  private final DoubleHistogram stageDuration;
  private final DoubleHistogram phaseDuration;
  private final LongCounter sandboxFailures;
  private final io.opentelemetry.api.metrics.DoubleCounter sandboxCpu;

  WorkerInstruments(Meter meter) {
    jobs =
        meter
            .counterBuilder("polyrun.worker.jobs")
            .setUnit("{job}")
            .setDescription("Jobs whose result this worker stored, by language and verdict")
            .build();
    internalErrors =
        meter
            .counterBuilder("polyrun.worker.internal_errors")
            .setUnit("{job}")
            .setDescription("Jobs that ended INTERNAL_ERROR, by language and reason")
            .build();
    outputBytes =
        meter
            .counterBuilder("polyrun.worker.output")
            .setUnit("By")
            .setDescription(
                "Bytes the programs printed and the worker streamed, by language and stream")
            .build();
    claims =
        meter
            .counterBuilder("polyrun.worker.claims")
            .setUnit("{job}")
            .setDescription(
                "Deliveries this worker started, by language and whether it took a job over")
            .build();
    queueWait =
        meter
            .histogramBuilder("polyrun.worker.queue.wait")
            .setUnit("s")
            .setDescription(
                "Time from a job's submission until a worker claimed its first attempt, by language")
            .setExplicitBucketBoundariesAdvice(SECONDS)
            .build();
    stageDuration =
        meter
            .histogramBuilder("polyrun.worker.stage.duration")
            .setUnit("s")
            .setDescription(
                "Wall time of the program in a stage, by language, stage (compile, run, test_case) and verdict")
            .setExplicitBucketBoundariesAdvice(SECONDS)
            .build();
    phaseDuration =
        meter
            .histogramBuilder("polyrun.sandbox.phase.duration")
            .setUnit("s")
            .setDescription(
                "Time the sandbox spent around a stage's program, by language, stage and phase (set_up: "
                    + "work directory, cgroup and bundle before the runtime starts; start: from the runtime's start until it "
                    + "releases the program; clean_up: from the program's end until its processes, container, cgroup and "
                    + "bundle are gone)")
            .setExplicitBucketBoundariesAdvice(SECONDS)
            .build();
    sandboxCpu =
        meter
            .counterBuilder("polyrun.sandbox.cpu_time")
            .ofDoubles()
            .setUnit("s")
            .setDescription(
                "CPU time of the sandbox machinery (runtime and hooks) around the programs, by language and stage")
            .build();
    sandboxFailures =
        meter
            .counterBuilder("polyrun.worker.sandbox.failures")
            .setUnit("{stage}")
            .setDescription("Stages the sandbox failed to run, by language and stage")
            .build();
  }

  static String verdict(Verdict v) {
    return v.name().startsWith("VERDICT_") ? v.name().substring("VERDICT_".length()) : v.name();
  }

  static String stageVerdict(StageResult r) {
    return switch (r.termination()) {
      case EXITED -> r.succeeded() ? "OK" : "RUNTIME_ERROR";
      case CPU_TIME_LIMIT, WALL_TIME_LIMIT -> "TIME_LIMIT_EXCEEDED";
      case MEMORY_LIMIT -> "MEMORY_LIMIT_EXCEEDED";
      case OUTPUT_LIMIT -> "OUTPUT_LIMIT_EXCEEDED";
      case CANCELLED -> "CANCELLED";
      case SANDBOX_FAILURE -> "INTERNAL_ERROR";
    };
  }

  void result(String language, Result result) {
    jobs.add(1, Attributes.of(LANGUAGE, language, VERDICT, verdict(result.getVerdict())));
    if (result.getVerdict() == Verdict.VERDICT_INTERNAL_ERROR) {
      String reason = result.getErrorReason().isEmpty() ? "UNSPECIFIED" : result.getErrorReason();
      internalErrors.add(1, Attributes.of(LANGUAGE, language, REASON, reason));
    }
  }

  void output(String language, String stream, long bytes) {
    outputBytes.add(bytes, Attributes.of(LANGUAGE, language, STREAM, stream));
  }

  void claimed(String language, boolean reclaimed, Duration waited) {
    claims.add(1, Attributes.of(LANGUAGE, language, RECLAIMED, reclaimed));
    if (!reclaimed && !waited.isNegative()) {
      queueWait.record(waited.toNanos() / 1e9, Attributes.of(LANGUAGE, language));
    }
  }

  /**
   * Records a stage; {@code start} is the runtime's start of the container, null when not measured.
   */
  void stage(String language, String stage, StageResult r, Duration start) {
    stageDuration.record(
        r.wallTime().toNanos() / 1e9,
        Attributes.of(LANGUAGE, language, STAGE, stage, VERDICT, stageVerdict(r)));
    phaseDuration.record(
        r.setupTime().toNanos() / 1e9,
        Attributes.of(LANGUAGE, language, STAGE, stage, PHASE, "set_up"));
    if (start != null) {
      phaseDuration.record(
          start.toNanos() / 1e9, Attributes.of(LANGUAGE, language, STAGE, stage, PHASE, "start"));
    }
    phaseDuration.record(
        r.cleanupTime().toNanos() / 1e9,
        Attributes.of(LANGUAGE, language, STAGE, stage, PHASE, "clean_up"));
    if (r.sandboxCpuTime() != null) {
      sandboxCpu.add(
          r.sandboxCpuTime().toNanos() / 1e9, Attributes.of(LANGUAGE, language, STAGE, stage));
    }
    if (r.termination() == StageResult.Termination.SANDBOX_FAILURE) {
      sandboxFailures.add(1, Attributes.of(LANGUAGE, language, STAGE, stage));
    }
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
