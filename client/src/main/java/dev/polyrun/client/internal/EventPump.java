package dev.polyrun.client.internal;

import dev.polyrun.client.ExecutionListener;
import dev.polyrun.client.PolyrunException;
import dev.polyrun.client.PolyrunUnavailableException;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.Result;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Reads one job's event stream to its result, handing events to a listener, and resumes the stream
 * after the last delivered cursor when the connection (or the coordinator) is lost.
 *
 * <p>One instance serves one blocking call on one thread.
 */
public final class EventPump {
  /** Opens a job's event stream after a cursor: {@code (jobId, afterCursor) -> events}. */
  @FunctionalInterface
  public interface Resumer {
    Iterator<JobEvent> open(String jobId, String afterCursor);
  }

  /** Waits between resume attempts; a seam for tests. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final ExecutionListener listener;
  private final Resumer resumer;
  private final int maxResumes;
  private final Duration backoff;
  private final Sleeper sleeper;
  private String jobId;
  private String cursor;
  private boolean progressed;

  /**
   * @param jobId the job's id when already known (StreamEvents), or null (Execute)
   * @param afterCursor cursor the first stream starts after, or null
   * @param maxResumes how many times in a row a lost stream is resumed before giving up
   * @param backoff wait before the first resume; doubled for each further one in a row
   */
  public EventPump(
      ExecutionListener listener,
      Resumer resumer,
      String jobId,
      String afterCursor,
      int maxResumes,
      Duration backoff,
      Sleeper sleeper) {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.resumer = Objects.requireNonNull(resumer, "resumer");
    this.jobId = jobId;
    this.cursor = afterCursor == null || afterCursor.isEmpty() ? null : afterCursor;
    this.maxResumes = maxResumes;
    this.backoff = backoff;
    this.sleeper = sleeper;
  }

  /**
   * Reads events until the result and returns it.
   *
   * @param first opens the first stream; called once, inside a cancellable gRPC context
   * @throws PolyrunException when the stream failed and could not (or may not) be resumed
   */
  public Result run(Supplier<Iterator<JobEvent>> first) {
    Supplier<Iterator<JobEvent>> opener = first;
    int resumes = 0;
    while (true) {
      progressed = false;
      PolyrunException failure;
      try {
        Result result = readInContext(opener);
        if (result != null) {
          return result;
        }
        failure = endedEarly();
      } catch (StatusRuntimeException e) {
        failure = StatusErrors.toException(e, jobId, cursor);
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
          throw failure;
        }
      }
      resumes = progressed ? 1 : resumes + 1;
      if (jobId == null || resumes > maxResumes) {
        throw failure;
      }
      pause(backoff.multipliedBy(1L << Math.min(resumes - 1, 16)), failure);
      String id = jobId;
      String after = cursor == null ? "" : cursor;
      opener = () -> resumer.open(id, after);
    }
  }

  private Result readInContext(Supplier<Iterator<JobEvent>> opener) {
    // Leaving the loop for any reason (result, listener failure) must end the call on the wire.
    Context.CancellableContext context = Context.current().withCancellation();
    Context previous = context.attach();
    try {
      return read(opener.get());
    } finally {
      context.detach(previous);
      context.cancel(null);
    }
  }

  private Result read(Iterator<JobEvent> events) {
    while (events.hasNext()) {
      JobEvent event = events.next();
      progressed = true;
      if (jobId == null && !event.getJobId().isEmpty()) {
        jobId = event.getJobId();
        listener.onJobId(jobId);
      }
      dispatch(event);
      if (!event.getCursor().isEmpty()) {
        cursor = event.getCursor();
        listener.onCursor(cursor);
      }
      if (event.hasResult()) {
        return event.getResult();
      }
    }
    return null;
  }

  private void dispatch(JobEvent event) {
    switch (event.getEventCase()) {
      case STATE -> listener.onState(event.getState().getState(), event.getState().getAttempt());
      case STDOUT -> listener.onStdout(event.getStdout());
      case STDERR -> listener.onStderr(event.getStderr());
      case TEST_CASE -> listener.onTestCase(event.getTestCase());
      case ATTEMPT_ABANDONED ->
          listener.onAttemptAbandoned(
              event.getAttemptAbandoned().getAbandonedAttempt(),
              event.getAttemptAbandoned().getNewAttempt(),
              event.getAttemptAbandoned().getReason());
      case RESULT, EVENT_NOT_SET -> {
        // The result ends the stream (see read); events this client does not know are skipped.
      }
    }
  }

  private PolyrunException endedEarly() {
    String what = jobId == null ? "the event stream" : "the event stream of job " + jobId;
    return new PolyrunUnavailableException(
        Status.Code.UNAVAILABLE, what + " ended before the result", null, jobId, cursor, null);
  }

  private void pause(Duration duration, PolyrunException failure) {
    try {
      sleeper.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.addSuppressed(e);
      throw failure;
    }
  }
}
