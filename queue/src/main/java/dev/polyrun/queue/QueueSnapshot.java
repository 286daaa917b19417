package dev.polyrun.queue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The cluster's queue and capacity read at one moment by {@link RedisQueueStats}: what waits, per
 * language, what runs, which workers are alive with how many slots, and how Redis fares.
 *
 * @param languages backlog of each language with waiting jobs or live slots, by name
 * @param waiting jobs waiting for a worker (the jobs stream's undelivered entries and the tenants'
 *     backlogs)
 * @param inFlight jobs delivered to a worker and not yet acknowledged
 * @param sampled whether more jobs waited than were read: per-language counts are then scaled from
 *     the ones read (the oldest of each tenant's backlog are always read)
 * @param workers live workers (those whose heartbeat has not expired)
 * @param deadLetters entries in the dead-letter stream (capped near 10,000)
 * @param redis figures from Redis's INFO
 */
public record QueueSnapshot(
    Map<String, Backlog> languages,
    long waiting,
    long inFlight,
    boolean sampled,
    List<WorkerBeat> workers,
    long deadLetters,
    RedisInfo redis) {

  /**
   * One language's backlog.
   *
   * @param waiting jobs waiting for a worker
   * @param oldestWaiting how long the oldest of them has waited ({@link Duration#ZERO} for none)
   * @param slots slots of the live workers that run the language
   * @param busySlots of those slots, the ones running a job (of any language)
   */
  public record Backlog(long waiting, Duration oldestWaiting, long slots, long busySlots) {
    /** Waiting jobs per slot that runs the language; waiting jobs themselves when no slot does. */
    public double perSlot() {
      return slots == 0 ? waiting : (double) waiting / slots;
    }
  }

  /**
   * A live worker's last heartbeat.
   *
   * @param id the worker's id
   * @param slots its slots
   * @param busy slots running a job
   * @param languages the languages it runs (empty for a worker that does not say)
   * @param age time since the heartbeat was written
   */
  public record WorkerBeat(String id, int slots, int busy, List<String> languages, Duration age) {}

  /**
   * Figures from Redis's INFO.
   *
   * @param usedMemoryBytes {@code used_memory}
   * @param maxMemoryBytes {@code maxmemory} (0: no limit)
   * @param connectedClients {@code connected_clients}
   * @param blockedClients {@code blocked_clients}
   * @param evictedKeys {@code evicted_keys} since Redis started
   * @param rejectedConnections {@code rejected_connections} since Redis started
   */
  public record RedisInfo(
      long usedMemoryBytes,
      long maxMemoryBytes,
      long connectedClients,
      long blockedClients,
      long evictedKeys,
      long rejectedConnections) {}

  /** The oldest wait of every language. */
  public Duration oldestWaiting() {
    return languages.values().stream()
        .map(Backlog::oldestWaiting)
        .max(Duration::compareTo)
        .orElse(Duration.ZERO);
  }
}
