package dev.polyrun.coordinator.internal.stream;

import dev.polyrun.proto.v1.JobEvent;
import java.util.List;

/**
 * What a client replaying a finished job's stream from its start is shown: the final attempt's
 * events alone. The events of attempts that were abandoned (their worker died or stalled, and the
 * job ran again) and the {@code attempt_abandoned} markers are dropped, so the replay reads as one
 * run of the program: {@code begin end}, never {@code begin begin end}. The coordinator's own
 * events (QUEUED, a cancellation) and the result are always kept. A client following a job live, or
 * resuming after a cursor, gets every event instead, markers included, and discards an abandoned
 * attempt's output when told. Pure and immutable.
 */
final class FinalAttemptFilter {
  /** Keeps every event. */
  static final FinalAttemptFilter NONE = new FinalAttemptFilter(0);

  private final int finalAttempt;

  private FinalAttemptFilter(int finalAttempt) {
    this.finalAttempt = finalAttempt;
  }

  /**
   * The filter of a stream that starts after {@code afterCursor} ("" or null: from the start): the
   * final attempt's when it replays a job that was final when the stream began from its start, else
   * {@link #NONE}. A stream resumed after a cursor keeps every event, markers included: its client
   * may have shown an abandoned attempt's output already and must be told.
   *
   * @param finalAttempt the job record's attempt, the one that ran last
   */
  static FinalAttemptFilter forStream(String afterCursor, boolean jobIsFinal, int finalAttempt) {
    boolean fromStart = afterCursor == null || afterCursor.isEmpty();
    return fromStart && jobIsFinal ? new FinalAttemptFilter(finalAttempt) : NONE;
  }

  /** The filter for a finished job's whole list of events, its final attempt read from them. */
  static FinalAttemptFilter of(List<JobEvent> events) {
    int last = 0;
    for (JobEvent e : events) {
      last =
          Math.max(
              last,
              e.hasAttemptAbandoned() ? e.getAttemptAbandoned().getNewAttempt() : e.getAttempt());
    }
    return new FinalAttemptFilter(last);
  }

  /** Whether the client is shown {@code event}. */
  boolean keep(JobEvent event) {
    if (finalAttempt == 0 || event.hasResult()) {
      return true;
    }
    if (event.hasAttemptAbandoned()) {
      return false;
    }
    // 0: written by the coordinator (or by a worker that did not stamp its attempt)
    return event.getAttempt() == 0 || event.getAttempt() >= finalAttempt;
  }

  /** The events the client is shown, in order. */
  List<JobEvent> apply(List<JobEvent> events) {
    return finalAttempt == 0 ? events : events.stream().filter(this::keep).toList();
  }
}
