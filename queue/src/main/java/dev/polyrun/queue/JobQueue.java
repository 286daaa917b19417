package dev.polyrun.queue;

import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Language;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The coordinator's view of the queue: submit jobs, read their records and events, cancel them.
 *
 * <p>All methods block on Redis and are safe to call from many threads; never call them on an
 * event loop. They throw {@link QueueUnavailableException} when Redis cannot be reached (a retry
 * may help) and {@link QueueDataException} when stored data is unreadable (a retry will not).
 */
public interface JobQueue extends AutoCloseable {

  /**
   * Stores the job for {@code tenant} ("" when tenants are not in use), appends its QUEUED event
   * and enqueues it; returns the new job's id.
   */
  String submit(SubmitRequest request, String tenant);

  /**
   * As {@link #submit(SubmitRequest, String)}, and stores {@code traceParent} (a W3C {@code
   * traceparent}, "" for none) in the job's record: the worker continues that trace, and {@link
   * #getJob} returns its trace id.
   */
  default String submit(SubmitRequest request, String tenant, String traceParent) {
    return submit(request, tenant);
  }

  /** Submits the job without a tenant. */
  default String submit(SubmitRequest request) {
    return submit(request, "");
  }

  /** The tenant that submitted the job ("" for none), or empty for an unknown job. */
  Optional<String> tenantOf(String jobId);

  /** The job's record, or empty when the id is unknown or its record has expired. */
  Optional<Job> getJob(String jobId);

  /**
   * Reads up to {@code max} events after {@code afterCursor} (from the start when empty), waiting
   * up to {@code block} for the first one. Returns an empty list when none arrived in time. Each
   * returned event carries its cursor and job id.
   */
  List<JobEvent> readEvents(String jobId, String afterCursor, Duration block, int max);

  /**
   * Cancels the job: a queued job ends at once, a running one is flagged for its worker. Returns
   * the state after the call (the worker reports CANCELLED itself), or empty for an unknown job.
   */
  Optional<JobState> cancel(String jobId);

  /** The languages advertised by live workers, sorted by name. */
  List<Language> languages();

  /** Jobs waiting for a worker and jobs delivered but not yet acknowledged. */
  QueueDepth depth();

  /** Whether Redis answers a PING now. Never throws. */
  boolean ping();

  @Override
  void close();
}
