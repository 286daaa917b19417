package dev.polyrun.coordinator.internal;

import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.queue.JobQueue;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Streams a job's events from Redis to a gRPC call until the final result, respecting the call's
 * flow control and cancellation. Runs on a virtual thread.
 */
final class EventStreamer {
  private static final Duration BLOCK = Duration.ofSeconds(1);
  private static final int BATCH = 256;
  /** Empty reads after which the job's record is checked for expiry. */
  private static final int IDLE_CHECK = 30;
  private final JobQueue queue;

  EventStreamer(JobQueue queue) {
    this.queue = queue;
  }

  /** A call being streamed to. Create it on the call's own thread, before going async. */
  static final class Subscription {
    private final ServerCallStreamObserver<JobEvent> call;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    Subscription(ServerCallStreamObserver<JobEvent> call) {
      this.call = call;
      call.setOnCancelHandler(() -> cancelled.set(true));
    }
  }

  Subscription subscribe(StreamObserver<JobEvent> observer) {
    return new Subscription((ServerCallStreamObserver<JobEvent>) observer);
  }

  /**
   * Streams until the final result (returns true) or until the client cancels the call (returns
   * false).
   */
  boolean stream(String jobId, String afterCursor, Subscription s) throws InterruptedException {
    String cursor = afterCursor;
    int idle = 0;
    while (!s.cancelled.get()) {
      awaitReady(s);
      List<JobEvent> events = queue.readEvents(jobId, cursor, BLOCK, BATCH);
      if (events.isEmpty()) {
        if (++idle % IDLE_CHECK == 0 && queue.getJob(jobId).isEmpty()) {
          throw Statuses.notFound("job " + jobId + " expired while streaming");
        }
        continue;
      }
      idle = 0;
      for (JobEvent event : events) {
        if (s.cancelled.get()) {
          return false;
        }
        s.call.onNext(event);
        cursor = event.getCursor();
        if (event.hasResult()) {
          s.call.onCompleted();
          return true;
        }
      }
    }
    return false;
  }

  private static void awaitReady(Subscription s) throws InterruptedException {
    while (!s.call.isReady() && !s.cancelled.get()) {
      Thread.sleep(5);
    }
  }
}
