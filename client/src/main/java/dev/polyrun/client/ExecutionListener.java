package dev.polyrun.client;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.TestCaseResult;

/**
 * Receives a job's events as they arrive, before the final result.
 *
 * <p>Every method is called on the thread that called {@link PolyrunClient#execute} or {@link
 * PolyrunClient#streamEvents}, one at a time and in the job's event order, so an implementation
 * needs no locking of its own. While a method runs no further events are read: a slow listener
 * slows the stream down (gRPC flow control) instead of buffering without bound. If a method throws,
 * the call is cancelled and the exception propagates to the caller.
 *
 * <p>All methods have empty defaults; override the ones you need.
 */
public interface ExecutionListener {
  /** A listener that ignores every event. */
  ExecutionListener NONE = new ExecutionListener() {};

  /** Called once, with the job's id, before any other method. */
  default void onJobId(String jobId) {}

  /**
   * The job changed state (QUEUED, COMPILING, RUNNING, ...).
   *
   * @param state the new state
   * @param attempt the delivery attempt that reported it, 1 for the first delivery
   */
  default void onState(JobState state, int attempt) {}

  /** A chunk of the program's standard output, byte-exact (not necessarily valid UTF-8). */
  default void onStdout(ByteString chunk) {}

  /** A chunk of the program's standard error, byte-exact (not necessarily valid UTF-8). */
  default void onStderr(ByteString chunk) {}

  /** One test case finished (only for requests with test cases). */
  default void onTestCase(TestCaseResult result) {}

  /**
   * The attempt that ran the job so far was abandoned (its worker died, or stalled past its lease)
   * and the job runs again from the start as {@code newAttempt}: everything {@code
   * abandonedAttempt} printed (and its test case results) is void, and the program's output starts
   * over with the next events. A listener that shows output as it arrives should tell its user that
   * the output from here replaces what came before; one that collects output should drop what it
   * collected. Never called for a stream read from the start after the job ended: the service then
   * sends the final attempt's events alone.
   *
   * @param abandonedAttempt the attempt whose output is void
   * @param newAttempt the attempt that runs the job now
   * @param reason why, in words, e.g. "its worker stopped renewing the lease"
   */
  default void onAttemptAbandoned(int abandonedAttempt, int newAttempt, String reason) {}

  /**
   * Called after each event was handled, with its cursor: a stream resumed after this cursor
   * ({@link PolyrunClient#streamEvents}) continues with the next event.
   */
  default void onCursor(String cursor) {}
}
