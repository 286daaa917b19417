package dev.polyrun.queue;

/**
 * The part of tenant quotas that lives outside the submit path. Quotas are checked and counted
 * atomically with the job's creation ({@link JobQueue#submit(Submission)}); a job is uncounted when
 * it ends. This reconciles the count with the jobs' records, for ends that were not reported (a
 * record that expired, a worker that died between storing a result and reporting it).
 *
 * <p>Blocks on Redis; thread-safe; throws {@link QueueUnavailableException} when Redis cannot be
 * reached.
 */
public interface TenantQuotas {

  /**
   * Uncounts the tenant's jobs that are final or whose records are gone, and returns how many jobs
   * are left counted as queued or running. Costs one read of the tenant's set and one pipelined
   * read of its jobs' states.
   */
  long reconcileActiveJobs(String tenant);
}
