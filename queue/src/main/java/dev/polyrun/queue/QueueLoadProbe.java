package dev.polyrun.queue;

/**
 * Reads the {@link QueueLoad} that admission control compares with its thresholds. Blocks on Redis;
 * thread-safe; throws {@link QueueUnavailableException} when Redis cannot be reached.
 */
public interface QueueLoadProbe {

  /**
   * The queue's load now.
   *
   * @param countUpTo when Redis cannot report the number of waiting entries directly, they are
   *     counted up to this many (a caller comparing with a threshold needs no more than it plus
   *     one)
   */
  QueueLoad load(long countUpTo);
}
