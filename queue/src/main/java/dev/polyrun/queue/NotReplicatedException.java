package dev.polyrun.queue;

/**
 * A submission was stored but fewer replicas than {@link Durability#replicas()} acknowledged it
 * within the wait. The job exists (and runs); what is not promised is that it survives a failover.
 * A retry may succeed once the replicas are back.
 */
public final class NotReplicatedException extends QueueUnavailableException {
  private static final long serialVersionUID = 1L;
  private final String jobId;

  public NotReplicatedException(String jobId, long acknowledged, int wanted, long waitedMillis) {
    super(
        "job "
            + jobId
            + " is stored but only "
            + acknowledged
            + " of "
            + wanted
            + " replicas acknowledged it within "
            + waitedMillis
            + " ms",
        null);
    this.jobId = jobId;
  }

  /** The job that was stored. */
  public String jobId() {
    return jobId;
  }
}
