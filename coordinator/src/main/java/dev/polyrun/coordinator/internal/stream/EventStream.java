package dev.polyrun.coordinator.internal.stream;

import dev.polyrun.coordinator.internal.Statuses;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.queue.JobHead;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open stream (an Execute or StreamEvents call): sends its job's events to the client in order,
 * as fast as the call's flow control allows and no faster.
 *
 * <p>Events come from two places. Pages read from Redis on the stream's own behalf, paced by the
 * client: a replay of a finished job, or a client catching up from an old cursor. Then, once it has
 * caught up, the live events its job's feed hands over, buffered up to a bound: a client that falls
 * further behind gets RESOURCE_EXHAUSTED and resumes after its last cursor; it never holds back the
 * reader or another stream. One drain loop at a time (on the hub's executor) calls {@code onNext}
 * while the call is ready; the call's ready handler and every new event restart it.
 */
public final class EventStream {
  /** Events read from Redis at once on a stream's own behalf. */
  public static final int PAGE = Backlog.PAGE;

  private static final Logger log = LoggerFactory.getLogger(EventStream.class);
  private final EventHub hub;
  private final ServerCallStreamObserver<JobEvent> call;
  private final Consumer<StreamEnd> onEnd;
  private final AtomicInteger work = new AtomicInteger();
  private final Object lock = new Object();
  private volatile String jobId;
  // drain state: touched by one drain loop at a time
  private Backlog backlog;
  private String sent = "";
  // guarded by lock
  private JobFeed feed;
  private String floor = "";
  private final ArrayDeque<JobEvent> live = new ArrayDeque<>();
  private long liveBytes;
  private boolean started;
  private StreamEnd ending;
  private StatusRuntimeException failure;
  private int tooSlowEvents;
  private long tooSlowBytes;
  private boolean ended;

  EventStream(EventHub hub, ServerCallStreamObserver<JobEvent> call, Consumer<StreamEnd> onEnd) {
    this.hub = hub;
    this.call = call;
    this.onEnd = onEnd;
  }

  /**
   * Starts streaming {@code jobId} after {@code afterCursor} ("" from its first event). {@code
   * head} is the job as read just before: a final job is replayed from Redis and never followed;
   * empty means a job just submitted.
   *
   * @param firstPage the job's first events after {@code afterCursor} when they were read with its
   *     head (up to {@link #PAGE}), else null
   * @return false when the call had already ended (its client left before the start)
   */
  public boolean start(
      String jobId, String afterCursor, Optional<JobHead> head, List<JobEvent> firstPage) {
    synchronized (lock) {
      if (ended || ending != null) {
        return false;
      }
      this.jobId = jobId;
      this.sent = afterCursor;
      this.backlog =
          new Backlog(
              hub,
              this,
              afterCursor,
              head.map(JobHead::isFinal).orElse(false),
              head.map(JobHead::attempt).orElse(0),
              firstPage);
      started = true; // the drain reads what was set above once it sees this, under the lock
    }
    hub.opened(this);
    schedule();
    return true;
  }

  String jobId() {
    return jobId;
  }

  /**
   * Ends the stream (from any thread) for {@code why}, with {@code status} to the client (null for
   * none).
   */
  void end(StreamEnd why, StatusRuntimeException status) {
    synchronized (lock) {
      if (ended || ending != null) {
        return;
      }
      ending = why;
      failure = status;
      live.clear();
      liveBytes = 0;
    }
    schedule();
  }

  /** Called by the feed, under its monitor, when this stream joins it at {@code position}. */
  void attached(JobFeed joined, String position, String feedCursor) {
    synchronized (lock) {
      feed = joined;
      floor = position;
    }
    // the drain is the caller (through the hub): it reads the gap itself before taking live events
    backlog.joined(feedCursor, position);
  }

  JobFeed feed() {
    synchronized (lock) {
      return feed;
    }
  }

  /** Called by the feed, under its monitor: new live events, in order. Never blocks. */
  void offer(List<JobEvent> events) {
    synchronized (lock) {
      if (ended || ending != null) {
        return;
      }
      for (JobEvent e : events) {
        if (Cursors.after(e.getCursor(), floor)) {
          live.add(e);
          liveBytes += e.getSerializedSize();
        }
      }
      if (live.size() > hub.bufferedEvents() || liveBytes > hub.bufferedBytes()) {
        int count = live.size();
        long bytes = liveBytes;
        live.clear();
        liveBytes = 0;
        ending = StreamEnd.TOO_SLOW;
        failure = null; // made by the drain, with the last cursor it sent
        tooSlowEvents = count;
        tooSlowBytes = bytes;
      }
    }
    schedule();
  }

  /** Runs the drain loop on the hub's executor unless it runs already (then it runs once more). */
  void schedule() {
    if (work.getAndIncrement() == 0) {
      try {
        hub.executor().execute(this::drainLoop);
      } catch (RejectedExecutionException e) {
        // the coordinator has stopped: its streams are closed
      }
    }
  }

  private void drainLoop() {
    int missed = 1;
    do {
      try {
        drain();
      } catch (RuntimeException e) {
        log.error("stream of job {} failed", jobId, e);
        finish(StreamEnd.FAILED, Statuses.toStatus(e));
      }
      missed = work.addAndGet(-missed);
    } while (missed != 0);
  }

  private void drain() {
    while (true) {
      StreamEnd why;
      StatusRuntimeException status;
      synchronized (lock) {
        if (ended || (!started && ending == null)) {
          return;
        }
        why = ending;
        status = failure;
        if (why == StreamEnd.TOO_SLOW && status == null) {
          status = Statuses.tooSlow(jobId, sent, tooSlowEvents, tooSlowBytes);
        }
      }
      if (why != null) {
        finish(why, status);
        return;
      }
      if (!ready()) {
        return; // the ready handler schedules the next round
      }
      JobEvent next = next();
      if (next == null) {
        if (backlog.replayDone()) {
          finish(StreamEnd.RESULT, null); // resumed after the final event: nothing more will come
        }
        return;
      }
      if (!Cursors.after(next.getCursor(), sent)) {
        continue;
      }
      if (!send(next)) {
        return;
      }
      if (next.hasResult()) {
        finish(StreamEnd.RESULT, null);
        return;
      }
    }
  }

  private boolean send(JobEvent event) {
    try {
      call.onNext(event);
      sent = event.getCursor();
      return true;
    } catch (RuntimeException e) {
      // The call ended under us: cancelled, its deadline passed, or the client reset the stream
      // while the event was written (the transport then fails in its own ways, a
      // NullPointerException among them). The stream is over either way; not a failure of ours.
      log.debug("the stream of job {} ended while an event was written: {}", jobId, e.toString());
      finish(StreamEnd.CANCELLED, null);
      return false;
    }
  }

  private boolean ready() {
    try {
      return call.isReady();
    } catch (RuntimeException e) {
      log.debug("the stream of job {} was reset: {}", jobId, e.toString());
      finish(StreamEnd.CANCELLED, null);
      return false;
    }
  }

  /** The next event to send, or null when none is there now. Reads Redis while catching up. */
  private JobEvent next() {
    JobEvent e = backlog.next();
    if (e != null || backlog.pending()) {
      return e; // null while pending: the stream is ending
    }
    synchronized (lock) {
      JobEvent live = this.live.poll();
      if (live != null) {
        liveBytes -= live.getSerializedSize();
      }
      return live;
    }
  }

  /** Ends the call (unless the client went away) and leaves the hub. Drain loop only. */
  private void finish(StreamEnd why, StatusRuntimeException status) {
    synchronized (lock) {
      if (ended) {
        return;
      }
      ended = true;
      ending = why;
      live.clear();
      liveBytes = 0;
    }
    if (why != StreamEnd.CANCELLED) {
      try {
        if (status == null) {
          call.onCompleted();
        } else {
          call.onError(status);
        }
      } catch (RuntimeException e) {
        // already closed, or reset under us: the client went away meanwhile
        log.debug("the stream of job {} was gone before its end was sent: {}", jobId, e.toString());
      }
    }
    hub.closed(this, why);
    onEnd.accept(why);
  }

  /** Whether the stream is ending or ended: a retrying read gives up. */
  boolean ending() {
    synchronized (lock) {
      return ended || ending != null;
    }
  }
}
