package dev.polyrun.coordinator;

/**
 * How a coordinator serves event streams (Execute, StreamEvents). Open streams hold no Redis
 * connection: a few readers, each on a connection of its own, read the events of every followed job
 * and hand them to the streams in process.
 *
 * @param eventReaders Redis connections (outside the pool) that read events for all open streams
 *     (default 2, at most 64)
 * @param bufferedEvents events held for one stream whose client reads more slowly than its job
 *     prints (default 4096, at least 256); one more ends the stream with RESOURCE_EXHAUSTED, and
 *     the client resumes with StreamEvents after the last cursor it read
 * @param bufferedBytes bytes of those events (default 4 MiB)
 */
public record StreamOptions(int eventReaders, int bufferedEvents, long bufferedBytes) {
  /** The fewest buffered events: a shared reader reads up to this many of one job at once. */
  public static final int MIN_BUFFERED_EVENTS = 256;

  public StreamOptions {
    if (eventReaders < 1 || eventReaders > 64) {
      throw new IllegalArgumentException("event readers: " + eventReaders + " (expected: 1..64)");
    }
    if (bufferedEvents < MIN_BUFFERED_EVENTS) {
      throw new IllegalArgumentException(
          "buffered events per stream: "
              + bufferedEvents
              + " (expected: >= "
              + MIN_BUFFERED_EVENTS
              + ", what a reader reads of one job at once)");
    }
    if (bufferedBytes < 1024) {
      throw new IllegalArgumentException(
          "buffered bytes per stream: " + bufferedBytes + " (expected: >= 1024)");
    }
  }

  /** The documented defaults. */
  public static StreamOptions defaults() {
    return new StreamOptions(2, 4096, 4L << 20);
  }
}
