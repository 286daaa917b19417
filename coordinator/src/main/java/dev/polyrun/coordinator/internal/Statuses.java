package dev.polyrun.coordinator.internal;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import dev.polyrun.queue.QueueDataException;
import dev.polyrun.queue.QueueUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps every failure of a call to its gRPC status: the one place where that is decided. */
final class Statuses {
  private static final Logger log = LoggerFactory.getLogger(Statuses.class);

  private Statuses() {}

  static StatusRuntimeException toStatus(Throwable t) {
    if (t instanceof StatusRuntimeException s) {
      return s;
    }
    if (t instanceof InvalidRequestException invalid) {
      return invalidArgument(invalid);
    }
    if (t instanceof QueueUnavailableException) {
      return Status.UNAVAILABLE.withDescription("the job store is unavailable; retry later").withCause(t).asRuntimeException();
    }
    if (t instanceof QueueDataException) {
      log.error("unreadable data in the job store", t);
      return Status.INTERNAL.withDescription("unreadable data in the job store").asRuntimeException();
    }
    log.error("unexpected failure", t);
    return Status.INTERNAL.withDescription("internal error").asRuntimeException();
  }

  static StatusRuntimeException notFound(String what) {
    return Status.NOT_FOUND.withDescription(what).asRuntimeException();
  }

  static StatusRuntimeException invalid(String field, String description) {
    return invalidArgument(new InvalidRequestException(field, description));
  }

  /** A missing, malformed or unknown API key. The message never repeats the key. */
  static StatusRuntimeException unauthenticated(String what) {
    return Status.UNAUTHENTICATED.withDescription(what).asRuntimeException();
  }

  /** No worker runs anything yet, or the job store is down. */
  static StatusRuntimeException unavailable(String what) {
    return Status.UNAVAILABLE.withDescription(what).asRuntimeException();
  }

  /** An idempotency key reused for a different request. */
  static StatusRuntimeException alreadyExists(String what) {
    return Status.ALREADY_EXISTS.withDescription(what).asRuntimeException();
  }

  /** A request that collided with a concurrent one (the same idempotency key, still in flight). */
  static StatusRuntimeException aborted(String what) {
    return Status.ABORTED.withDescription(what).asRuntimeException();
  }

  /** The caller's deadline passed, or it cancelled, before the work was done. */
  static StatusRuntimeException callEnded(io.grpc.Context context) {
    boolean expired = context.getDeadline() != null && context.getDeadline().isExpired();
    return (expired ? Status.DEADLINE_EXCEEDED.withDescription("the call's deadline passed before the job was submitted")
        : Status.CANCELLED.withDescription("the call was cancelled before the job was submitted")).asRuntimeException();
  }

  /**
   * Over a quota or an admission threshold: RESOURCE_EXHAUSTED with a google.rpc.RetryInfo saying
   * when to retry (at least a millisecond).
   */
  static StatusRuntimeException resourceExhausted(String what, Duration retryDelay) {
    long millis = Math.max(1, retryDelay.toMillis());
    RetryInfo retry = RetryInfo.newBuilder()
        .setRetryDelay(com.google.protobuf.Duration.newBuilder()
            .setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000))
        .build();
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
        .setMessage(what + " (retry in " + seconds(millis) + ")")
        .addDetails(Any.pack(retry))
        .build();
    return StatusProto.toStatusRuntimeException(status);
  }

  static String seconds(long millis) {
    return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private static StatusRuntimeException invalidArgument(InvalidRequestException e) {
    BadRequest.Builder details = BadRequest.newBuilder();
    for (Violation v : e.violations()) {
      details.addFieldViolations(
          BadRequest.FieldViolation.newBuilder().setField(v.field()).setDescription(v.description()));
    }
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(Code.INVALID_ARGUMENT_VALUE)
            .setMessage(e.getMessage())
            .addDetails(Any.pack(details.build()))
            .build();
    return StatusProto.toStatusRuntimeException(status);
  }
}
