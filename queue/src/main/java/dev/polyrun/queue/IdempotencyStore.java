package dev.polyrun.queue;

import java.time.Duration;

/**
 * Idempotency keys: a submission that carries a key claims it, then binds it to the job it
 * produced, so a retry with the same key (and the same tenant) finds that job instead of creating
 * another.
 *
 * <p>All methods block on Redis and are thread-safe; never call them on an event loop. They throw
 * {@link QueueUnavailableException} when Redis cannot be reached.
 */
public interface IdempotencyStore {

  /**
   * Claims {@code key} for {@code tenant} when nobody holds it; an unbound claim lapses after
   * {@code pendingTtl}, so a coordinator that died mid-submission does not block the key for long.
   *
   * @param fingerprint identifies the request (a hash of its content), to tell a retry of the same
   *     request from a different request that reuses the key
   * @return {@link Claim#claimed()} when the caller now holds the key, else who holds it
   */
  Claim claim(String tenant, String key, String fingerprint, Duration pendingTtl);

  /**
   * Binds the caller's claim to the job it produced and keeps it for {@code ttl}. Returns false when
   * the claim had lapsed and someone else claimed the key meanwhile.
   */
  boolean bind(String tenant, String key, String fingerprint, String jobId, Duration ttl);

  /** Drops the caller's claim after a failed submission; a claim bound to a job stays. */
  void release(String tenant, String key, String fingerprint);

  /**
   * The state of a key.
   *
   * @param claimed whether the caller claimed the key just now (then the other fields are empty)
   * @param fingerprint the fingerprint of the request that holds the key
   * @param jobId the job that request produced, or empty while it is being submitted
   */
  record Claim(boolean claimed, String fingerprint, String jobId) {
    /** A claim the caller now holds. */
    public static Claim mine() {
      return new Claim(true, "", "");
    }

    /** Whether the holder's submission is still in progress (no job bound yet). */
    public boolean pending() {
      return !claimed && jobId.isEmpty();
    }
  }
}
