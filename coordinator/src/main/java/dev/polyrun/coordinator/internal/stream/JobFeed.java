package dev.polyrun.coordinator.internal.stream;

import dev.polyrun.proto.v1.JobEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * One followed job: where its shared reader has read up to, and the streams that follow it. The
 * reader reads each feed once, whatever the number of its streams, and hands every new event to
 * each of them. Thread-safe (the feed's monitor also orders a stream's attach against deliveries).
 */
final class JobFeed {
  private static final long FIRST_CHECK_NANOS = 1_000_000_000L;
  final String jobId;
  private final List<EventStream> streams = new ArrayList<>(2);
  private String readCursor;
  private boolean removed;
  private long activeAt;
  private long checkedAt;
  private long checkEvery = FIRST_CHECK_NANOS;

  JobFeed(String jobId, String readCursor, long now) {
    this.jobId = jobId;
    this.readCursor = readCursor;
    this.activeAt = now;
    this.checkedAt = now;
  }

  /** Where the reader goes on from. */
  synchronized String cursor() {
    return readCursor;
  }

  /**
   * Adds {@code stream}, which has read Redis up to {@code position}: events after this feed's
   * cursor reach it from now on, and it reads what lies between its position and the cursor itself.
   * Returns false when the feed was removed meanwhile (the caller takes a new one).
   */
  synchronized boolean attach(EventStream stream, String position) {
    if (removed) {
      return false;
    }
    stream.attached(this, position, readCursor);
    streams.add(stream);
    return true;
  }

  /** Removes {@code stream}; returns true when it was the last one (the feed is then removed). */
  synchronized boolean detach(EventStream stream) {
    streams.remove(stream);
    if (streams.isEmpty() && !removed) {
      removed = true;
      return true;
    }
    return false;
  }

  /** Hands the events read after this feed's cursor to every stream, in order. */
  synchronized void deliver(List<JobEvent> events, long now) {
    List<JobEvent> fresh = new ArrayList<>(events.size());
    for (JobEvent e : events) {
      if (Cursors.after(e.getCursor(), readCursor)) {
        fresh.add(e);
      }
    }
    if (fresh.isEmpty()) {
      return;
    }
    readCursor = fresh.get(fresh.size() - 1).getCursor();
    activeAt = now;
    checkEvery = FIRST_CHECK_NANOS;
    for (EventStream s : new ArrayList<>(streams)) {
      s.offer(fresh);
    }
  }

  /** The streams following now. */
  synchronized List<EventStream> streams() {
    return new ArrayList<>(streams);
  }

  /**
   * Whether the job should be checked for a record that expired: after a second without events,
   * then after twice as long each time, at most {@code maxIdleNanos} apart.
   */
  synchronized boolean dueForCheck(long now, long maxIdleNanos) {
    long wait = Math.min(checkEvery, maxIdleNanos);
    if (removed || now - activeAt < wait || now - checkedAt < wait) {
      return false;
    }
    checkedAt = now;
    checkEvery = Math.min(checkEvery * 2, maxIdleNanos);
    return true;
  }
}
