package dev.polyrun.coordinator;

import dev.polyrun.queue.Durability;
import dev.polyrun.queue.DurabilityCheck;
import dev.polyrun.queue.QueueAccessException;
import dev.polyrun.queue.QueueUnavailableException;
import dev.polyrun.queue.RedisQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's start-up wait for Redis, and its check of what Redis's configuration promises.
 */
final class RedisWait {
  private static final Logger log = LoggerFactory.getLogger(RedisWait.class);
  private static final long FIRST_PAUSE_MILLIS = 100;
  private static final long MAX_PAUSE_MILLIS = 2000;

  private RedisWait() {}

  /** Returns once Redis answers, retrying with backoff (readiness says "not ready" meanwhile). */
  static void awaitRedis(RedisQueue queue, String address) throws InterruptedException {
    long pause = FIRST_PAUSE_MILLIS;
    long toldAt = 0;
    while (true) {
      try {
        queue.checkAnswers();
        break;
      } catch (RuntimeException e) {
        // refused credentials say so (user and address, never the password): no retry fixes them
        // by itself, but an operator may fix Redis's ACL while the coordinator waits
        if (toldAt == 0 || System.nanoTime() - toldAt > 30_000_000_000L) {
          if (e instanceof QueueAccessException) {
            log.warn("waiting for {}; retrying (not ready until it answers)", e.getMessage());
          } else {
            log.warn(
                "waiting for redis at {}: it does not answer ({}); retrying (not ready until it does)",
                address,
                e.getMessage());
          }
          toldAt = System.nanoTime();
        }
      }
      Thread.sleep(pause);
      pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
    }
    log.info("connected to redis at {}", address);
  }

  /**
   * Compares Redis's configuration with the durability Submit promises. Returns false (the
   * coordinator must not serve) only for {@code fsync} on a Redis that does not fsync every write;
   * a shortfall of replicas, a Redis without persistence or one whose configuration cannot be read
   * is logged as a warning.
   */
  static boolean durabilityHolds(RedisQueue queue, Durability durability) {
    DurabilityCheck check;
    try {
      check = queue.checkDurability();
    } catch (QueueUnavailableException e) {
      log.warn("cannot check redis's durability settings now: {}", e.getMessage());
      return true;
    }
    switch (check.outcome()) {
      case HOLDS -> log.info("durability {}: {}", durability, check.detail());
      case UNKNOWN -> log.warn("durability {}: cannot be verified: {}", durability, check.detail());
      case FALLS_SHORT -> {
        if (durability.kind() == Durability.Kind.FSYNC) {
          log.error(
              "coordinator.durability=fsync, but redis does not fsync every write: {}; run redis with"
                  + " appendonly yes and appendfsync always, or choose another durability",
              check.detail());
          return false;
        }
        log.warn("durability {}: {}", durability, check.detail());
      }
    }
    return true;
  }
}
