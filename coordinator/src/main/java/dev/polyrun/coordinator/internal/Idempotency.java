package dev.polyrun.coordinator.internal;

import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.queue.IdempotencyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Idempotent submission: the first request with a key claims it and binds it to its job; a retry of
 * the same request with the same key (and tenant) gets that job; a different request with the key
 * is refused. Blocking; thread-safe.
 */
final class Idempotency {
  /** How long an unbound claim blocks its key when its coordinator died mid-submission. */
  private static final Duration PENDING_TTL = Duration.ofSeconds(30);

  private static final Duration WAIT_FOR_PENDING = Duration.ofSeconds(5);
  private static final long POLL_MILLIS = 25;
  private final IdempotencyStore store;
  private final Duration ttl;

  Idempotency(IdempotencyStore store, Duration ttl) {
    this.store = store;
    this.ttl = ttl;
  }

  /**
   * The job an earlier request with the same key produced, or empty when the caller now holds the
   * key and must submit (then {@link #bind} or {@link #release}).
   *
   * @throws io.grpc.StatusRuntimeException ALREADY_EXISTS for a different request with the key,
   *     ABORTED when the same request is still being submitted by another call after 5 s
   */
  Optional<String> claim(String tenant, SubmitRequest request) throws InterruptedException {
    String key = request.getIdempotencyKey();
    String fingerprint = fingerprint(request);
    long deadline = System.nanoTime() + WAIT_FOR_PENDING.toNanos();
    while (true) {
      IdempotencyStore.Claim claim = store.claim(tenant, key, fingerprint, PENDING_TTL);
      if (claim.claimed()) {
        return Optional.empty();
      }
      if (!claim.fingerprint().equals(fingerprint)) {
        throw Statuses.alreadyExists("idempotency_key '" + key + "' was used for a different request within its "
            + Retention.text(ttl) + " retention" + (claim.jobId().isEmpty() ? "" : " (job " + claim.jobId() + ")")
            + " (expected: the same request again, or a new key)");
      }
      if (!claim.pending()) {
        return Optional.of(claim.jobId());
      }
      if (System.nanoTime() > deadline) {
        throw Statuses.aborted("a request with idempotency_key '" + key + "' is still being submitted; retry");
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /** Binds the caller's claim to its job; returns false when the claim had lapsed. */
  boolean bind(String tenant, SubmitRequest request, String jobId) {
    return store.bind(tenant, request.getIdempotencyKey(), fingerprint(request), jobId, ttl);
  }

  void release(String tenant, SubmitRequest request) {
    store.release(tenant, request.getIdempotencyKey(), fingerprint(request));
  }

  /**
   * What makes two requests "the same": everything of the job but the key itself. An Execute is
   * fingerprinted as the SubmitRequest it becomes, without {@code cancel_on_disconnect}, which is
   * about one call, not the job (a retried Execute may come as a Submit).
   */
  static String fingerprint(SubmitRequest request) {
    byte[] bytes = request.toBuilder().clearIdempotencyKey().build().toByteArray();
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
