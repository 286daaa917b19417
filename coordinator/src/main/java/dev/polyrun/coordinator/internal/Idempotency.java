package dev.polyrun.coordinator.internal;

import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.queue.Submission;
import io.grpc.StatusRuntimeException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Idempotent submission: a request's key and fingerprint for the submit script, which claims the
 * key, creates the job and binds the key in one atomic step; and the refusal of a key reused for a
 * different request. Pure; thread-safe.
 */
final class Idempotency {
  private final Duration ttl;

  Idempotency(Duration ttl) {
    this.ttl = ttl;
  }

  /** The request's key with its fingerprint, or empty when it carries none. */
  Optional<Submission.IdempotencyKey> keyOf(SubmitRequest request) {
    if (request.getIdempotencyKey().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Submission.IdempotencyKey(request.getIdempotencyKey(), fingerprint(request), ttl));
  }

  /** ALREADY_EXISTS: the key is bound to {@code jobId}, made by a different request. */
  StatusRuntimeException reused(SubmitRequest request, String jobId) {
    return Statuses.alreadyExists(
        "idempotency_key '"
            + request.getIdempotencyKey()
            + "' was used for a different"
            + " request within its "
            + Retention.text(ttl)
            + " retention"
            + (jobId.isEmpty() ? "" : " (job " + jobId + ")")
            + " (expected: the same request again, or a new key)");
  }

  /** ABORTED: the key is still held by an unfinished submission (of an older coordinator). */
  StatusRuntimeException pending(SubmitRequest request) {
    return Statuses.aborted(
        "a request with idempotency_key '"
            + request.getIdempotencyKey()
            + "' is still being submitted; retry");
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
