package dev.polyrun.worker.internal.job;

import com.google.protobuf.Timestamp;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.Timeline;
import dev.polyrun.sandbox.StageResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The timeline and worker cpu of an attempt's result, from the instants the worker saw and those
 * its stages reported: queued (the jobs stream entry's id is the instant Redis stored it), claimed,
 * the first stage's sandbox ready and program started, the last stage's program ended, and the
 * result stored.
 */
final class Timelines {
  private Timelines() {}

  /**
   * The result with its timeline and {@code worker_cpu_ms} set.
   *
   * @param entryId the jobs stream entry id, {@code <milliseconds>-<sequence>}
   * @param claimedAt when this worker began the attempt
   * @param stages every stage the attempt ran, in order
   * @param storedAt when the result is stored
   * @param workerCpu cpu the worker's own thread spent on the attempt (spawning, cgroups, files)
   */
  static Result complete(
      Result result,
      String entryId,
      Instant claimedAt,
      List<StageResult> stages,
      Instant storedAt,
      Duration workerCpu) {
    Timeline.Builder t =
        Timeline.newBuilder().setClaimedAt(timestamp(claimedAt)).setStoredAt(timestamp(storedAt));
    Instant queued = queuedAt(entryId);
    if (queued != null) {
      t.setQueuedAt(timestamp(queued));
    }
    if (!stages.isEmpty()) {
      StageResult first = stages.get(0);
      if (first.readyAt() != null) {
        t.setContainerReadyAt(timestamp(first.readyAt()));
      }
      if (first.startedAt() != null) {
        t.setStartedAt(timestamp(first.startedAt()));
      }
      StageResult last = stages.get(stages.size() - 1);
      if (last.exitedAt() != null) {
        t.setExitedAt(timestamp(last.exitedAt()));
      }
    }
    return result.toBuilder()
        .setTimeline(t)
        .setWorkerCpuMs(cpu(stages).plus(workerCpu).toMillis())
        .build();
  }

  /** Every stage's processes and the sandbox's own cpu for them. */
  static Duration cpu(List<StageResult> stages) {
    Duration total = Duration.ZERO;
    for (StageResult s : stages) {
      total = total.plus(s.cpuTime());
      if (s.sandboxCpuTime() != null) {
        total = total.plus(s.sandboxCpuTime());
      }
    }
    return total;
  }

  /** The instant in a Redis stream entry id, or null when the id is not one. */
  static Instant queuedAt(String entryId) {
    int dash = entryId == null ? -1 : entryId.indexOf('-');
    try {
      return dash > 0 ? Instant.ofEpochMilli(Long.parseLong(entryId.substring(0, dash))) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
