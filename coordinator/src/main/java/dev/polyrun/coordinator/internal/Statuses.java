package dev.polyrun.coordinator.internal;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.polyrun.queue.QueueDataException;
import dev.polyrun.queue.QueueUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps every failure of a call to its gRPC status: the one place where that is decided. Every
 * refusal carries a {@code google.rpc.ErrorInfo} (domain {@link Reason#DOMAIN}, a stable {@link
 * Reason}) first among its details, then the details of its kind (BadRequest, RetryInfo).
 */
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
      return refusal(Reason.JOB_STORE_UNAVAILABLE, "the job store is unavailable; retry later");
    }
    if (t instanceof QueueDataException) {
      log.error("unreadable data in the job store", t);
      return refusal(Reason.INTERNAL, "unreadable data in the job store");
    }
    log.error("unexpected failure", t);
    return refusal(Reason.INTERNAL, "internal error");
  }

  /** An unknown job, another tenant's, or one past its retention. */
  static StatusRuntimeException notFound(String what) {
    return refusal(Reason.JOB_NOT_FOUND, what);
  }

  static StatusRuntimeException invalid(String field, String description) {
    return invalidArgument(new InvalidRequestException(field, description));
  }

  /** A missing, malformed or unknown API key. The message never repeats the key. */
  static StatusRuntimeException unauthenticated(Reason reason, String what) {
    return refusal(expect(reason, Status.Code.UNAUTHENTICATED), what);
  }

  /** No worker runs anything yet, the job store is down, or the server is stopping. */
  static StatusRuntimeException unavailable(Reason reason, String what) {
    return refusal(expect(reason, Status.Code.UNAVAILABLE), what);
  }

  /** An idempotency key reused for a different request. */
  static StatusRuntimeException alreadyExists(String what) {
    return refusal(Reason.IDEMPOTENCY_KEY_REUSED, what);
  }

  /** A request that collided with a concurrent one (the same idempotency key, still in flight). */
  static StatusRuntimeException aborted(String what) {
    return refusal(Reason.IDEMPOTENCY_KEY_PENDING, what);
  }

  /** A request message over the size limit: RESOURCE_EXHAUSTED without a retry delay. */
  static StatusRuntimeException tooLarge(String what) {
    return refusal(Reason.MESSAGE_TOO_LARGE, what);
  }

  /** A method or service that this server does not serve. */
  static StatusRuntimeException unimplemented(String what) {
    return refusal(Reason.UNKNOWN_METHOD, what);
  }

  /** The caller's deadline passed, or it cancelled, before the work was done. */
  static StatusRuntimeException callEnded(io.grpc.Context context) {
    boolean expired = context.getDeadline() != null && context.getDeadline().isExpired();
    return (expired ? Status.DEADLINE_EXCEEDED.withDescription("the call's deadline passed before the job was submitted")
        : Status.CANCELLED.withDescription("the call was cancelled before the job was submitted")).asRuntimeException();
  }

  /**
   * Over a quota, an admission threshold or the server's capacity: RESOURCE_EXHAUSTED with a
   * google.rpc.RetryInfo saying when to retry (at least a millisecond).
   */
  static StatusRuntimeException resourceExhausted(Reason reason, String what, Duration retryDelay) {
    long millis = Math.max(1, retryDelay.toMillis());
    RetryInfo retry = RetryInfo.newBuilder()
        .setRetryDelay(com.google.protobuf.Duration.newBuilder()
            .setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000))
        .build();
    return refusal(expect(reason, Status.Code.RESOURCE_EXHAUSTED), what + " (retry in " + seconds(millis) + ")", retry);
  }

  static String seconds(long millis) {
    return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  /** The ErrorInfo reason a status carries, or empty when it has none (e.g. DEADLINE_EXCEEDED). */
  static String reasonOf(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status != null) {
      for (Any any : status.getDetailsList()) {
        if (any.is(ErrorInfo.class)) {
          try {
            return any.unpack(ErrorInfo.class).getReason();
          } catch (com.google.protobuf.InvalidProtocolBufferException malformed) {
            return "";
          }
        }
      }
    }
    return "";
  }

  private static StatusRuntimeException invalidArgument(InvalidRequestException e) {
    BadRequest.Builder details = BadRequest.newBuilder();
    for (Violation v : e.violations()) {
      details.addFieldViolations(
          BadRequest.FieldViolation.newBuilder().setField(v.field()).setDescription(v.description()));
    }
    return refusal(e.reason(), e.getMessage(), details.build());
  }

  private static StatusRuntimeException refusal(Reason reason, String message, Message... details) {
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
        .setCode(reason.code().value())
        .setMessage(message)
        .addDetails(Any.pack(ErrorInfo.newBuilder().setDomain(Reason.DOMAIN).setReason(reason.name()).build()));
    for (Message detail : details) {
      status.addDetails(Any.pack(detail));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  /** A reason given to the wrong kind of refusal is a defect at the throw site. */
  private static Reason expect(Reason reason, Status.Code code) {
    if (reason.code() != code) {
      throw new IllegalArgumentException("reason " + reason + " goes with " + reason.code() + " (expected: a reason of "
          + code + ")");
    }
    return reason;
  }
}
