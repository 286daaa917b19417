package dev.polyrun.queue;

import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.SubmitRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The coordinator's view of the queue: submit jobs, read their records and events, cancel them.
 *
 * <p>All methods block on Redis and are safe to call from many threads; never call them on an event
 * loop. They throw {@link QueueUnavailableException} when Redis cannot be reached (a retry may
 * help) and {@link QueueDataException} when stored data is unreadable (a retry will not).
 */
public interface JobQueue extends AutoCloseable {

  /**
   * Admits and stores a job in one atomic step (one round trip to Redis): looks its idempotency key
   * up, checks and counts its tenant's quotas, applies admission control's verdict, stores the
   * job's record, appends its QUEUED event, enqueues it and binds its key. A refusal changes
   * nothing (it takes no submission from the tenant's rate).
   */
  SubmitOutcome submit(Submission submission);

  /**
   * Stores the job for {@code tenant} ("" when tenants are not in use), appends its QUEUED event
   * and enqueues it; returns the new job's id. No key, no quota, no admission control.
   */
  default String submit(SubmitRequest request, String tenant) {
    return submit(request, tenant, "");
  }

  /**
   * As {@link #submit(SubmitRequest, String)}, and stores {@code traceParent} (a W3C {@code
   * traceparent}, "" for none) in the job's record: the worker continues that trace, and {@link
   * #getJob} returns its trace id.
   */
  default String submit(SubmitRequest request, String tenant, String traceParent) {
    SubmitOutcome outcome = submit(Submission.of(request, tenant).withTraceParent(traceParent));
    if (outcome instanceof SubmitOutcome.Accepted accepted) {
      return accepted.jobId();
    }
    throw new IllegalStateException("a submission without key or quota was refused: " + outcome);
  }

  /** Submits the job without a tenant. */
  default String submit(SubmitRequest request) {
    return submit(request, "");
  }

  /** The job's tenant, state and attempt in one read, or empty for an unknown or expired job. */
  Optional<JobHead> head(String jobId);

  /**
   * The job's head and up to {@code max} of its events after {@code afterCursor}, read in one round
   * trip (a pipeline: what opening a stream needs), or empty for an unknown or expired job. The
   * events are read whoever asks: check the head's tenant before showing them.
   */
  default Optional<JobView> headAndEvents(String jobId, String afterCursor, int max) {
    return head(jobId)
        .map(head -> new JobView(head, readEvents(jobId, afterCursor, Duration.ZERO, max)));
  }

  /** A job's head with a page of its events. */
  record JobView(JobHead head, List<JobEvent> events) {}

  /** The tenant that submitted the job ("" for none), or empty for an unknown job. */
  default Optional<String> tenantOf(String jobId) {
    return head(jobId).map(JobHead::tenant);
  }

  /** The job's record, or empty when the id is unknown or its record has expired. */
  Optional<Job> getJob(String jobId);

  /**
   * Reads up to {@code max} events after {@code afterCursor} (from the start when empty), waiting
   * up to {@code block} for the first one. Returns an empty list when none arrived in time. Each
   * returned event carries its cursor and job id.
   */
  List<JobEvent> readEvents(String jobId, String afterCursor, Duration block, int max);

  /**
   * Opens a connection of its own (outside the pool) that reads many jobs' events in one call,
   * waiting up to {@code maxBlock} at a time. The caller closes it.
   */
  EventReader openEventReader(Duration maxBlock);

  /** The connection pool's figures now (connections of {@link EventReader}s not included). */
  ConnectionStats connections();

  /**
   * Cancels the job: a queued job ends at once, a running one is flagged for its worker. Returns
   * the state after the call (the worker reports CANCELLED itself), or empty for an unknown job.
   */
  Optional<JobState> cancel(String jobId);

  /** The languages advertised by workers within the languages' retention, sorted by name. */
  List<Language> languages();

  /**
   * The queues a live worker reads now (named as {@link QueueNames} names them: each version's,
   * {@code python@3.11}, and a language's own, {@code python}): those a worker advertised within
   * the last {@link RedisQueue#SERVED_WINDOW}. A version of {@link #languages()} whose queue is
   * missing here is known but has no worker to run its jobs.
   */
  default java.util.Set<String> servedQueues() {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Language l : languages()) {
      names.addAll(QueueNames.served(l));
    }
    return names;
  }

  /** Jobs waiting for a worker and jobs delivered but not yet acknowledged. */
  QueueDepth depth();

  /** Whether Redis answers a PING now. Never throws. */
  boolean ping();

  @Override
  void close();
}
