package dev.polyrun.queue;

import java.time.Duration;

/** What became of a {@link Submission}: stored, a retry of an earlier one, or refused and why. */
public sealed interface SubmitOutcome {

  /** The job was stored and enqueued. */
  record Accepted(String jobId) implements SubmitOutcome {}

  /** The key was bound to this job by the same request earlier: nothing new was stored. */
  record Duplicate(String jobId) implements SubmitOutcome {}

  /** The key is bound to a job of a different request; nothing was stored. */
  record KeyReused(String jobId) implements SubmitOutcome {}

  /**
   * The key is held by a submission still in progress (only an older coordinator, which claimed
   * keys and bound them in separate steps, leaves a key in that state); retry shortly.
   */
  record KeyPending() implements SubmitOutcome {}

  /**
   * The tenant is over its submission rate; a submission will be allowed after {@code retryAfter}.
   */
  record OverRate(Duration retryAfter) implements SubmitOutcome {}

  /** The tenant has {@code active} jobs queued or running, its most. */
  record OverActive(long active) implements SubmitOutcome {}

  /** Admission control refused new jobs, and the request was not a retry of a stored one. */
  record Overloaded() implements SubmitOutcome {}
}
