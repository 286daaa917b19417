package dev.polyrun.worker;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the worker daemon. Immutable.
 *
 * <p>Defaults: 1 slot, a 2 s BLOCK on the jobs stream, a 25 s grace period at shutdown, lease
 * renewals every 10 s (a third of the queue's default 30 s lease).
 *
 * @param workerId consumer name in the worker group; unique per worker
 * @param slots jobs run at once
 * @param blockTime how long one read of the jobs stream waits for a job
 * @param gracePeriod how long {@link Worker#close()} lets running jobs finish
 * @param renewEvery how often running jobs' leases are renewed (a third of the lease or less)
 */
public record WorkerOptions(
    String workerId, int slots, Duration blockTime, Duration gracePeriod, Duration renewEvery) {

  /** Options with the default renewal interval of 10 s. */
  public WorkerOptions(String workerId, int slots, Duration blockTime, Duration gracePeriod) {
    this(workerId, slots, blockTime, gracePeriod, Duration.ofSeconds(10));
  }

  public WorkerOptions {
    Objects.requireNonNull(workerId, "workerId");
    if (!workerId.matches("[A-Za-z0-9_.:-]{1,100}")) {
      throw new IllegalArgumentException("worker id: '" + workerId + "' (expected: 1-100 of [A-Za-z0-9_.:-])");
    }
    if (slots < 1 || slots > 256) {
      throw new IllegalArgumentException("slots: " + slots + " (expected: 1..256)");
    }
    if (blockTime.toMillis() < 10 || blockTime.toSeconds() > 30) {
      throw new IllegalArgumentException("block time: " + blockTime + " (expected: 10ms..30s)");
    }
    Objects.requireNonNull(gracePeriod, "gracePeriod");
    if (renewEvery.toMillis() < 100) {
      throw new IllegalArgumentException("renew every: " + renewEvery + " (expected: >= 100ms)");
    }
  }

  /** Options with the documented defaults for {@code workerId}. */
  public static WorkerOptions defaults(String workerId) {
    return new WorkerOptions(workerId, 1, Duration.ofSeconds(2), Duration.ofSeconds(25));
  }
}
