package dev.polyrun.coordinator.internal;

import dev.polyrun.coordinator.AdmissionOptions;
import dev.polyrun.queue.QueueLoad;
import dev.polyrun.queue.QueueLoadProbe;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Refuses new submissions fast while the queue is too deep or its oldest job has waited too long.
 * The queue's load is read from Redis at most every 250 ms, whatever the rate of submissions, so a
 * refusal costs no Redis call most of the time. Blocking (on a refresh); thread-safe.
 */
final class AdmissionGate {
  private static final long REFRESH_NANOS = Duration.ofMillis(250).toNanos();
  private final QueueLoadProbe probe;
  private final AdmissionOptions options;
  private final LongSupplier nanoTime;
  private volatile QueueLoad load;
  private volatile long readAt;

  AdmissionGate(QueueLoadProbe probe, AdmissionOptions options, LongSupplier nanoTime) {
    this.probe = probe;
    this.options = options;
    this.nanoTime = nanoTime;
  }

  /** @throws io.grpc.StatusRuntimeException RESOURCE_EXHAUSTED with a retry delay when over a threshold */
  void check() {
    long maxDepth = options.maxQueueDepth();
    Duration maxAge = options.maxQueueAge();
    if (maxDepth == 0 && maxAge.isZero()) {
      return;
    }
    QueueLoad now = current(maxDepth);
    if (maxDepth > 0 && now.waiting() >= maxDepth) {
      throw Statuses.resourceExhausted(Reason.QUEUE_FULL, "the cluster is overloaded: " + now.waiting()
          + " jobs are waiting for a worker (at most " + maxDepth + " may wait)", options.retryDelay());
    }
    if (!maxAge.isZero() && now.oldestWaitingAge().compareTo(maxAge) > 0) {
      throw Statuses.resourceExhausted(Reason.QUEUE_FULL, "the cluster is overloaded: the oldest waiting job has waited "
          + Statuses.seconds(now.oldestWaitingAge().toMillis()) + " (at most " + Statuses.seconds(maxAge.toMillis())
          + ")", options.retryDelay());
    }
  }

  /** The latest load, re-read when older than 250 ms. */
  QueueLoad current(long countUpTo) {
    long now = nanoTime.getAsLong();
    if (load == null || now - readAt > REFRESH_NANOS) {
      synchronized (this) {
        if (load == null || nanoTime.getAsLong() - readAt > REFRESH_NANOS) {
          load = probe.load(countUpTo + 1);
          readAt = nanoTime.getAsLong();
        }
      }
    }
    return load;
  }
}
