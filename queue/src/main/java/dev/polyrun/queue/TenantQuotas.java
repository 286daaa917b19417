package dev.polyrun.queue;

import java.time.Duration;
import java.util.Optional;

/**
 * Per-tenant quotas kept in Redis, so that they hold across any number of coordinators: a token
 * bucket of submissions per second, and the set of a tenant's jobs that are queued or running.
 *
 * <p>The active set needs no help from workers: a job stays in it until a later reservation finds
 * the set full and drops the jobs whose records are final (DONE, CANCELLED) or gone.
 *
 * <p>All methods block on Redis and are thread-safe; never call them on an event loop. They throw
 * {@link QueueUnavailableException} when Redis cannot be reached.
 */
public interface TenantQuotas {

  /**
   * Takes one submission from the tenant's bucket, which refills at {@code perSecond} and holds at
   * most {@code burst}.
   *
   * @return {@link Duration#ZERO} when taken, else how long until a submission will be allowed
   */
  Duration takeSubmission(String tenant, double perSecond, int burst);

  /**
   * Reserves a place among the tenant's at most {@code max} queued or running jobs. Pass the
   * reservation to {@link #activate} once the job exists, or to {@link #release} if it never will.
   * A reservation that is neither activated nor released lapses after a minute.
   *
   * @return the reservation, or empty when the tenant has {@code max} jobs queued or running
   */
  Optional<String> reserveActive(String tenant, int max);

  /** Replaces the reservation by the job it became. */
  void activate(String tenant, String reservation, String jobId);

  /** Gives back a reservation whose job was never created. */
  void release(String tenant, String reservation);

  /** The tenant's jobs queued or running now (after dropping finished ones), with reservations. */
  long activeJobs(String tenant);
}
