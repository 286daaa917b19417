package dev.polyrun.queue;

import dev.polyrun.proto.v1.JobEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Redis connection of its own, outside every pool, that reads the events of many jobs in one
 * blocking call: how a coordinator serves thousands of open streams on a few connections.
 *
 * <p>The connection is named {@code polyrun-events} in {@code CLIENT LIST}. One thread calls {@link
 * #read}; any thread may call {@link #wakeUp}. A lost connection is reopened by the next read.
 * {@link #read} throws {@link QueueUnavailableException} when Redis cannot be reached and {@link
 * QueueDataException} for an unreadable event.
 */
public interface EventReader extends AutoCloseable {

  /**
   * Reads, for each job of {@code cursors}, up to {@code maxPerJob} events after its cursor ("" or
   * "0-0" for its first event), waiting up to {@code block} for the first event of any of them.
   *
   * @return the events read, by job id, each job's in order and carrying its cursor and job id;
   *     empty when none came within {@code block} or when {@link #wakeUp} ended the wait
   */
  Map<String, List<JobEvent>> read(Map<String, String> cursors, Duration block, int maxPerJob);

  /**
   * Makes the read in progress return at once (or the next one, when none is in progress), so that
   * its caller can read the streams of jobs it began following meanwhile. Blocks for a round trip
   * to Redis on another connection; thread-safe.
   */
  void wakeUp();

  /** Closes the connection. Idempotent. */
  @Override
  void close();
}
