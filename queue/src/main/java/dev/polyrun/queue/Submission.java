package dev.polyrun.queue;

import dev.polyrun.proto.v1.SubmitRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A job to store, with everything that decides, in the same atomic step, whether it may be stored:
 * its idempotency key, its tenant's quotas and the verdict of admission control.
 *
 * @param request the job's specification, as it will be stored
 * @param tenant the submitting tenant ("" for none)
 * @param key the client's idempotency key, if any
 * @param quota the tenant's quotas ({@link Quota#NONE} for none)
 * @param admitted false when admission control refuses new jobs now: a retry with a known key still
 *     gets its job, anything else is refused with {@link SubmitOutcome.Overloaded}
 * @param traceParent W3C {@code traceparent} of the submission ("" for none)
 * @param version the selector of the version whose queue the job joins (the coordinator resolves an
 *     empty request selector to the default); "" for the language's own queue, which the workers
 *     with the default version read (see {@link QueueNames})
 */
public record Submission(
    SubmitRequest request,
    String tenant,
    Optional<IdempotencyKey> key,
    Quota quota,
    boolean admitted,
    String traceParent,
    String version) {

  public Submission {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(quota, "quota");
    Objects.requireNonNull(traceParent, "traceParent");
    Objects.requireNonNull(version, "version");
  }

  /** A submission to the language's own queue (its default version's). */
  public Submission(
      SubmitRequest request,
      String tenant,
      Optional<IdempotencyKey> key,
      Quota quota,
      boolean admitted,
      String traceParent) {
    this(request, tenant, key, quota, admitted, traceParent, "");
  }

  /** A submission without a trace to continue. */
  public Submission(
      SubmitRequest request,
      String tenant,
      Optional<IdempotencyKey> key,
      Quota quota,
      boolean admitted) {
    this(request, tenant, key, quota, admitted, "");
  }

  /**
   * This submission with {@code traceParent} (a W3C {@code traceparent}, "" for none) to store in
   * the job's record: the worker continues that trace.
   */
  public Submission withTraceParent(String traceParent) {
    return new Submission(
        request, tenant, key, quota, admitted, traceParent == null ? "" : traceParent, version);
  }

  /**
   * This submission joining the queue of the version {@code version} ("" for the language's own).
   */
  public Submission withVersion(String version) {
    return new Submission(request, tenant, key, quota, admitted, traceParent, version);
  }

  /** The queue the job joins (before sharding): its language's, or one version's. */
  public String queue() {
    return QueueNames.of(request.getLanguage(), version);
  }

  /** A submission without key, quota or admission control. */
  public static Submission of(SubmitRequest request, String tenant) {
    return new Submission(request, tenant, Optional.empty(), Quota.NONE, true);
  }

  /**
   * A client's idempotency key.
   *
   * @param key the key as the client sent it
   * @param fingerprint what makes two requests "the same" (a digest of the request without its key)
   * @param retention how long the key keeps returning its job at least; the queue keeps it longer
   *     when the job's record may live longer (a job waiting for a worker), so a key never expires
   *     before its job's record
   */
  public record IdempotencyKey(String key, String fingerprint, Duration retention) {
    public IdempotencyKey {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(fingerprint, "fingerprint");
      Objects.requireNonNull(retention, "retention");
    }
  }

  /**
   * A tenant's quotas, checked and counted in the same script that stores the job.
   *
   * @param maxActiveJobs jobs queued or running at once; 0 for no limit
   * @param submissionsPerSecond refill rate of the tenant's submission bucket; 0 for no limit
   * @param burst most submissions the bucket holds (at least 1 with a rate)
   */
  public record Quota(int maxActiveJobs, double submissionsPerSecond, int burst) {
    /** No quota at all. */
    public static final Quota NONE = new Quota(0, 0, 0);

    public Quota {
      if (maxActiveJobs < 0) {
        throw new IllegalArgumentException(
            "max active jobs: " + maxActiveJobs + " (expected: >= 0)");
      }
      if (submissionsPerSecond < 0
          || Double.isNaN(submissionsPerSecond)
          || (submissionsPerSecond > 0 && burst < 1)) {
        throw new IllegalArgumentException(
            "rate "
                + submissionsPerSecond
                + "/s, burst "
                + burst
                + " (expected: a rate >= 0, and a burst >= 1 with a rate)");
      }
    }
  }
}
