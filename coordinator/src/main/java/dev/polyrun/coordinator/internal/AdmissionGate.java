package dev.polyrun.coordinator.internal;

import dev.polyrun.coordinator.AdmissionOptions;
import dev.polyrun.queue.QueueLoad;
import dev.polyrun.queue.QueueLoadProbe;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Refuses new submissions fast while the queue is too deep or its oldest job has waited too long.
 * The queue's load is read from Redis at most every 250 ms, whatever the rate of submissions, by
 * one caller while the others go on with the last figures: admission costs a submission no Redis
 * round trip of its own. Blocking (on a refresh); thread-safe.
 */
final class AdmissionGate {
  private static final long REFRESH_NANOS = Duration.ofMillis(250).toNanos();
  private final QueueLoadProbe probe;
  private final AdmissionOptions options;
  private final LongSupplier nanoTime;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile QueueLoad load;
  private volatile long readAt;

  AdmissionGate(QueueLoadProbe probe, AdmissionOptions options, LongSupplier nanoTime) {
    this.probe = probe;
    this.options = options;
    this.nanoTime = nanoTime;
  }

  /**
   * @throws io.grpc.StatusRuntimeException RESOURCE_EXHAUSTED with a retry delay when over a
   *     threshold
   */
  void check() {
    Optional<StatusRuntimeException> refusal = refusal();
    if (refusal.isPresent()) {
      throw refusal.get();
    }
  }

  /** The refusal (RESOURCE_EXHAUSTED with a retry delay) while over a threshold, else empty. */
  Optional<StatusRuntimeException> refusal() {
    long maxDepth = options.maxQueueDepth();
    Duration maxAge = options.maxQueueAge();
    if (maxDepth == 0 && maxAge.isZero()) {
      return Optional.empty();
    }
    QueueLoad now = current(maxDepth);
    if (maxDepth > 0 && now.waiting() >= maxDepth) {
      return Optional.of(
          Statuses.resourceExhausted(
              Reason.QUEUE_FULL,
              "the cluster is overloaded: "
                  + now.waiting()
                  + " jobs are waiting for a worker (at most "
                  + maxDepth
                  + " may wait)",
              options.retryDelay()));
    }
    if (!maxAge.isZero() && now.oldestWaitingAge().compareTo(maxAge) > 0) {
      return Optional.of(
          Statuses.resourceExhausted(
              Reason.QUEUE_FULL,
              "the cluster is overloaded: the oldest waiting job has waited "
                  + Statuses.seconds(now.oldestWaitingAge().toMillis())
                  + " (at most "
                  + Statuses.seconds(maxAge.toMillis())
                  + ")",
              options.retryDelay()));
    }
    return Optional.empty();
  }

  /**
   * The latest load, re-read when older than 250 ms (by one caller; the others use the last one).
   */
  QueueLoad current(long countUpTo) {
    QueueLoad last = load;
    if (last != null && nanoTime.getAsLong() - readAt <= REFRESH_NANOS) {
      return last;
    }
    if (last != null && !refreshing.compareAndSet(false, true)) {
      return last;
    }
    if (last == null) {
      synchronized (this) {
        if (load == null) {
          load = probe.load(countUpTo + 1);
          readAt = nanoTime.getAsLong();
        }
        return load;
      }
    }
    try {
      load = probe.load(countUpTo + 1);
      readAt = nanoTime.getAsLong();
      return load;
    } finally {
      refreshing.set(false);
    }
  }
}
