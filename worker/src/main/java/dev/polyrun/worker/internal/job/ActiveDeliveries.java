package dev.polyrun.worker.internal.job;

import dev.polyrun.queue.Delivery;
import dev.polyrun.queue.QueueUnavailableException;
import dev.polyrun.queue.WorkQueue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deliveries a worker is running, with their leases: {@link #renewAll()} renews each one; a
 * delivery whose renewal is refused (another attempt took the job over) is marked lost, which stops
 * its stage. Thread-safe.
 */
public final class ActiveDeliveries {
  private static final Logger log = LoggerFactory.getLogger(ActiveDeliveries.class);
  private final WorkQueue queue;
  private final String consumer;
  private final JobMetrics metrics;
  private final Map<String, Lease> active = new ConcurrentHashMap<>();

  public ActiveDeliveries(WorkQueue queue, String consumer, JobMetrics metrics) {
    this.queue = queue;
    this.consumer = consumer;
    this.metrics = metrics;
  }

  private record Lease(Delivery delivery, AtomicBoolean lost) {}

  /** Starts tracking a delivery; the returned supplier says whether its lease was lost. */
  public BooleanSupplier add(Delivery delivery) {
    Lease lease = new Lease(delivery, new AtomicBoolean());
    active.put(key(delivery), lease);
    return lease.lost()::get;
  }

  public void remove(Delivery delivery) {
    active.remove(key(delivery));
  }

  /** Two attempts of one job can run on one worker (a lapsed lease taken over by another slot). */
  private static String key(Delivery delivery) {
    return delivery.entryId() + "#" + delivery.attempt();
  }

  public int size() {
    return active.size();
  }

  public List<String> jobIds() {
    return active.values().stream().map(l -> l.delivery().jobId()).distinct().toList();
  }

  /** Renews every running delivery's lease; called every third of the lease or more often. */
  public void renewAll() {
    for (Lease lease : active.values()) {
      try {
        if (!queue.renew(lease.delivery(), consumer)) {
          log.warn(
              "job {} attempt {} was taken over; stopping it",
              lease.delivery().jobId(),
              lease.delivery().attempt());
          lease.lost().set(true);
          metrics.renewalFailed();
        }
      } catch (QueueUnavailableException e) {
        metrics.renewalFailed();
        log.warn("cannot renew the lease of job {}: {}", lease.delivery().jobId(), e.getMessage());
      } catch (RuntimeException e) {
        // never let one failure end the renewals of every later period
        metrics.renewalFailed();
        log.error("unexpected failure renewing the lease of job {}", lease.delivery().jobId(), e);
      }
    }
  }
}
