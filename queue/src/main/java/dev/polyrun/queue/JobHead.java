package dev.polyrun.queue;

import dev.polyrun.proto.v1.JobState;

/**
 * The few fields of a job's record that decide how to serve it, read in one round trip.
 *
 * @param tenant the tenant that submitted the job ("" for none)
 * @param state where the job is now
 * @param attempt the delivery attempt holding the job (0 before the first delivery); for a final
 *     job, the attempt that produced the result
 */
public record JobHead(String tenant, JobState state, int attempt) {

  /** Whether the job is DONE or CANCELLED: its result is stored and no event will follow it. */
  public boolean isFinal() {
    return state == JobState.JOB_STATE_DONE || state == JobState.JOB_STATE_CANCELLED;
  }
}
