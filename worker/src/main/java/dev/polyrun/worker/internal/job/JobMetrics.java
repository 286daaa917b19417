package dev.polyrun.worker.internal.job;

import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.sandbox.StageResult;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The worker's own metrics: slots busy and idle, reclaims, dead letters, failed lease renewals and
 * heartbeats. Jobs, verdicts, stages and sandbox phases are recorded where they pass, by the
 * worker's telemetry (its queue and sandbox wrappers).
 */
public final class JobMetrics {
  private static final AttributeKey<String> STATE = AttributeKey.stringKey("state");
  private final LongCounter reclaims;
  private final LongCounter renewalsFailed;
  private final LongCounter heartbeatsFailed;
  private final Meter meter;

  public JobMetrics(Meter meter) {
    this.meter = meter;
    reclaims =
        meter
            .counterBuilder("polyrun.worker.reclaims")
            .setUnit("{job}")
            .setDescription("Jobs taken over from a worker that stopped renewing its lease")
            .build();
    renewalsFailed =
        meter
            .counterBuilder("polyrun.worker.lease.renewals.failed")
            .setUnit("{renewal}")
            .setDescription(
                "Lease renewals that failed (Redis unreachable, or the job was taken over)")
            .build();
    heartbeatsFailed =
        meter
            .counterBuilder("polyrun.worker.heartbeat.failures")
            .setUnit("{heartbeat}")
            .setDescription(
                "Heartbeats this worker could not write (Redis unreachable): the cluster stops seeing it")
            .build();
  }

  /**
   * Reports the slots, busy and idle, and the dead-lettered jobs as they are read at collection.
   */
  public void observe(int slots, IntSupplier busySlots, LongSupplier deadLetters) {
    meter
        .gaugeBuilder("polyrun.worker.slots.busy")
        .ofLongs()
        .setUnit("{slot}")
        .setDescription("Slots running a job")
        .buildWithCallback(m -> m.record(busySlots.getAsInt()));
    meter
        .gaugeBuilder("polyrun.worker.slots")
        .ofLongs()
        .setUnit("{slot}")
        .setDescription("The worker's slots, busy and idle")
        .buildWithCallback(
            m -> {
              int busy = Math.min(slots, busySlots.getAsInt());
              m.record(busy, Attributes.of(STATE, "busy"));
              m.record(slots - busy, Attributes.of(STATE, "idle"));
            });
    meter
        .counterBuilder("polyrun.worker.dead.letters")
        .setUnit("{job}")
        .setDescription("Jobs moved to the dead-letter stream by this worker")
        .buildWithCallback(m -> m.record(deadLetters.getAsLong()));
  }

  public void reclaimed() {
    reclaims.add(1);
  }

  public void renewalFailed() {
    renewalsFailed.add(1);
  }

  public void heartbeatFailed() {
    heartbeatsFailed.add(1);
  }

  /** Counted when the result is stored, by the worker's telemetry. */
  void finished(String language, Verdict verdict) {}

  /** Recorded by the worker's telemetry around the sandbox, for every stage and test case. */
  void stage(String stage, String language, StageResult result) {}
}
