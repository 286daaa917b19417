package dev.polyrun.coordinator.internal.stream;

import dev.polyrun.proto.v1.JobEvent;
import java.util.ArrayDeque;
import java.util.List;

/**
 * What a stream reads from Redis on its own behalf, one page at a time as its client reads: the
 * whole of a finished job (a replay, which never follows the job), or what a live stream has not
 * seen yet. A live stream joins its job's feed once a page comes back short, then reads the gap
 * between its position and the feed's, if the feed was ahead. Used by one drain loop at a time.
 */
final class Backlog {
  /** Events read from Redis at once on a stream's own behalf. */
  static final int PAGE = 256;

  private final EventHub hub;
  private final EventStream stream;
  private final boolean replay;
  private final FinalAttemptFilter filter;
  private final ArrayDeque<JobEvent> page = new ArrayDeque<>();
  private String readPos;
  private boolean caughtUp;
  private String catchUpTo;
  private List<JobEvent> firstPage;

  /**
   * @param firstPage the first page after {@code after} when the caller read it already (with the
   *     job's head, in one round trip), else null
   */
  Backlog(
      EventHub hub,
      EventStream stream,
      String after,
      boolean replay,
      int finalAttempt,
      List<JobEvent> firstPage) {
    this.hub = hub;
    this.stream = stream;
    this.readPos = after;
    this.replay = replay;
    this.filter = FinalAttemptFilter.forStream(after, replay, finalAttempt);
    this.firstPage = firstPage;
  }

  /** Whether Redis may hold more for this stream than it has read (live events wait until not). */
  boolean pending() {
    return !page.isEmpty() || !caughtUp || catchUpTo != null;
  }

  /** Whether this is a replay that has read the job's last event: nothing more will come. */
  boolean replayDone() {
    return replay && caughtUp && page.isEmpty();
  }

  /**
   * The stream joined a feed that had read up to {@code feedCursor}: the gap is read from Redis.
   */
  void joined(String feedCursor, String position) {
    catchUpTo = Cursors.after(feedCursor, position) ? feedCursor : null;
  }

  /**
   * The next event read from Redis, or null when there is none to read now (or the stream is
   * ending).
   */
  JobEvent next() {
    while (true) {
      JobEvent e = page.poll();
      if (e != null) {
        return e;
      }
      if (!pending() || !readPage()) {
        return null;
      }
    }
  }

  /** Reads the next page after {@link #readPos}; false when the stream ends meanwhile. */
  private boolean readPage() {
    List<JobEvent> events =
        firstPage != null ? firstPage : hub.read(stream.jobId(), readPos, PAGE, stream);
    firstPage = null;
    if (events == null) {
      return false;
    }
    boolean full = events.size() == PAGE;
    if (catchUpTo != null) {
      int kept = 0;
      for (JobEvent e : events) {
        if (Cursors.after(e.getCursor(), catchUpTo)) {
          break;
        }
        page.add(e);
        readPos = e.getCursor();
        kept++;
      }
      if (!full || kept < events.size() || !Cursors.after(catchUpTo, readPos)) {
        catchUpTo = null;
      }
      return true;
    }
    if (!events.isEmpty()) {
      readPos = events.get(events.size() - 1).getCursor();
    }
    caughtUp = !full;
    if (replay) {
      page.addAll(filter.apply(events));
      return true;
    }
    page.addAll(events);
    if (caughtUp && events.stream().noneMatch(JobEvent::hasResult)) {
      hub.follow(stream, readPos);
    }
    return true;
  }
}
