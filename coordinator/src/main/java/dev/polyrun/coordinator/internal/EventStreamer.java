package dev.polyrun.coordinator.internal;

import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.queue.JobQueue;
import dev.polyrun.queue.QueueUnavailableException;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Streams a job's events from Redis to a gRPC call until the final result, respecting the call's
 * flow control, cancellation and deadline. Runs on a virtual thread.
 */
final class EventStreamer {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EventStreamer.class);
  private static final Duration BLOCK = Duration.ofSeconds(1);
  private static final int BATCH = 256;
  /** Empty reads after which the job's record is checked for expiry. */
  private static final int IDLE_CHECK = 30;
  /** How long a stream waits for Redis to come back before failing with UNAVAILABLE. */
  private static final Duration REDIS_OUTAGE = Duration.ofSeconds(30);
  private final JobQueue queue;

  EventStreamer(JobQueue queue) {
    this.queue = queue;
  }

  /** A call being streamed to. Create it on the call's own thread, before going async. */
  static final class Subscription {
    private final ServerCallStreamObserver<JobEvent> call;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    Subscription(ServerCallStreamObserver<JobEvent> call, Context context) {
      this.call = call;
      call.setOnCancelHandler(() -> cancelled.set(true));
      // The deadline ends the call even when the client does not cancel it.
      context.addListener(c -> cancelled.set(true), Runnable::run);
    }
  }

  Subscription subscribe(StreamObserver<JobEvent> observer, Context context) {
    return new Subscription((ServerCallStreamObserver<JobEvent>) observer, context);
  }

  /**
   * Streams until the final result (returns true) or until the call is cancelled or its deadline
   * passes (returns false).
   */
  boolean stream(String jobId, String afterCursor, Subscription s) throws InterruptedException {
    String cursor = afterCursor;
    int idle = 0;
    FinalAttemptFilter filter = replayFilter(jobId, afterCursor);
    while (!s.cancelled.get()) {
      awaitReady(s);
      List<JobEvent> events = readRetrying(jobId, cursor);
      if (events.isEmpty()) {
        if (++idle == 1 || idle % 5 == 0) {
          var job = queue.getJob(jobId);
          if (job.isEmpty()) {
            throw Statuses.notFound("job " + jobId + " expired while streaming");
          }
          JobState state = job.get().getState();
          boolean fin = state == JobState.JOB_STATE_DONE || state == JobState.JOB_STATE_CANCELLED;
          // the result event is written with the final state: once final, an empty read means the
          // cursor is past the result (a client resuming after its last event)
          if (fin && queue.readEvents(jobId, cursor, java.time.Duration.ZERO, 1).isEmpty()) {
            s.call.onCompleted();
            return true;
          }
        }
        continue;
      }
      idle = 0;
      for (JobEvent event : events) {
        if (s.cancelled.get()) {
          return false;
        }
        if (!filter.keep(event)) {
          cursor = event.getCursor();
          continue;
        }
        if (!send(s, event)) {
          return false;
        }
        cursor = event.getCursor();
        if (event.hasResult()) {
          return true;
        }
      }
    }
    return false;
  }

  /** A replay of a finished job from its start shows its final attempt alone. */
  private FinalAttemptFilter replayFilter(String jobId, String afterCursor) {
    if (afterCursor != null && !afterCursor.isEmpty()) {
      return FinalAttemptFilter.NONE;
    }
    return queue.getJob(jobId).map(job -> FinalAttemptFilter.forStream(afterCursor, job)).orElse(FinalAttemptFilter.NONE);
  }

  /** Sends the event (and ends the call after the result); false when the call has already ended. */
  private static boolean send(Subscription s, JobEvent event) {
    try {
      s.call.onNext(event);
      if (event.hasResult()) {
        s.call.onCompleted();
      }
      return true;
    } catch (IllegalStateException e) {
      // Ended under us: its deadline passed or the client went away between two checks.
      if (s.cancelled.get() || s.call.isCancelled()) {
        return false;
      }
      throw e;
    } catch (RuntimeException e) {
      // The transport's writer fails in its own ways (a NullPointerException among them) when the
      // client resets the stream while an event is being written, before the cancellation reaches
      // this call: the stream is over either way, and it is not a failure of the service.
      log.debug("the stream of job {} ended while an event was written: {}", event.getJobId(), e.toString());
      s.cancelled.set(true);
      return false;
    }
  }

  /** Reads the next events, riding out a Redis restart of up to {@link #REDIS_OUTAGE}. */
  private List<JobEvent> readRetrying(String jobId, String cursor) throws InterruptedException {
    long deadline = System.nanoTime() + REDIS_OUTAGE.toNanos();
    long pause = 100;
    while (true) {
      try {
        return queue.readEvents(jobId, cursor, BLOCK, BATCH);
      } catch (QueueUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(pause);
        pause = Math.min(pause * 2, 2000);
      }
    }
  }

  private static void awaitReady(Subscription s) throws InterruptedException {
    while (!s.cancelled.get() && !ready(s)) {
      Thread.sleep(5);
    }
  }

  private static boolean ready(Subscription s) {
    try {
      return s.call.isReady();
    } catch (RuntimeException e) {
      // a stream reset under us: as above
      s.cancelled.set(true);
      return false;
    }
  }
}
