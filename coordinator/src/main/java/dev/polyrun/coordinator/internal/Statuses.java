package dev.polyrun.coordinator.internal;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.polyrun.queue.NotReplicatedException;
import dev.polyrun.queue.QueueBusyException;
import dev.polyrun.queue.QueueDataException;
import dev.polyrun.queue.QueueUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps every failure of a call to its gRPC status: the one place where that is decided. Every
 * refusal carries a {@code google.rpc.ErrorInfo} (domain {@link Reason#DOMAIN}, a stable {@link
 * Reason}) first among its details, then the details of its kind (BadRequest, RetryInfo).
 */
public final class Statuses {
  private static final Logger log = LoggerFactory.getLogger(Statuses.class);

  /** Retry delay sent when this coordinator has no free Redis connection. */
  private static final Duration BUSY_RETRY = Duration.ofSeconds(1);

  private Statuses() {}

  public static StatusRuntimeException toStatus(Throwable t) {
    if (t instanceof StatusRuntimeException s) {
      return s;
    }
    if (t instanceof InvalidRequestException invalid) {
      return invalidArgument(invalid);
    }
    if (t instanceof NotReplicatedException n) {
      return refusal(
          Reason.JOB_STORE_UNAVAILABLE,
          n.getMessage()
              + "; it runs, but may not survive a failover"
              + " of redis; a retry with the same idempotency key returns it");
    }
    if (t instanceof QueueBusyException) {
      return resourceExhausted(
          Reason.SERVER_BUSY,
          "this coordinator is busy: none of its pooled Redis connections"
              + " became free in time (Redis is not known to be down); retry, here or on another coordinator",
          BUSY_RETRY);
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
  public static StatusRuntimeException notFound(String what) {
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

  /**
   * A known language (or the version {@code version} of it, "" for its default) that no live worker
   * runs now: FAILED_PRECONDITION, with the language (and a named version) in the message and in
   * the ErrorInfo's metadata ({@code language}, {@code version}).
   */
  static StatusRuntimeException languageNotServed(String language, String version) {
    String what =
        version.isEmpty()
            ? "language '" + language + "'"
            : "language '" + language + "' version '" + version + "'";
    return refusal(
        Reason.LANGUAGE_NOT_SERVED,
        what
            + ": no live worker runs it (expected: a language version a"
            + " running worker has an image for; start one, or try again when it is back)",
        version.isEmpty()
            ? Map.of("language", language)
            : Map.of("language", language, "version", version));
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

  /**
   * A stream whose client read more slowly than its job printed, past what a stream may hold: the
   * client resumes after the last cursor it read (the ErrorInfo's metadata names both).
   */
  public static StatusRuntimeException tooSlow(
      String jobId, String lastCursor, int events, long bytes) {
    return refusal(
        Reason.STREAM_TOO_SLOW,
        "the client read job "
            + jobId
            + "'s events more slowly than they came: "
            + events
            + " events ("
            + bytes
            + " bytes) were waiting for it, the most one stream holds; resume with"
            + " StreamEvents(job_id="
            + jobId
            + ", after_cursor="
            + (lastCursor.isEmpty() ? "\"\"" : lastCursor)
            + ")",
        Map.of("job_id", jobId, "after_cursor", lastCursor));
  }

  /**
   * A stream that waited for Redis (or for a free connection) longer than a stream rides out:
   * UNAVAILABLE (JOB_STORE_UNAVAILABLE), or RESOURCE_EXHAUSTED (SERVER_BUSY) when the pool was the
   * cause; the message says which and to resume after the last cursor.
   */
  public static StatusRuntimeException streamGaveUp(
      RuntimeException cause, String jobId, Duration waited) {
    String resume = "; resume with StreamEvents(job_id=" + jobId + ") after the last cursor read";
    if (cause instanceof QueueBusyException) {
      return resourceExhausted(
          Reason.SERVER_BUSY,
          "this coordinator had no free Redis connection for "
              + seconds(waited.toMillis())
              + resume,
          BUSY_RETRY);
    }
    return refusal(
        Reason.JOB_STORE_UNAVAILABLE,
        "the job store (Redis) stayed unavailable for " + seconds(waited.toMillis()) + resume,
        Map.of("job_id", jobId));
  }

  /** The coordinator is stopping: open streams end, their clients resume elsewhere. */
  public static StatusRuntimeException shuttingDown(String what) {
    return refusal(Reason.SHUTTING_DOWN, what);
  }

  /** A method or service that this server does not serve. */
  static StatusRuntimeException unimplemented(String what) {
    return refusal(Reason.UNKNOWN_METHOD, what);
  }

  /** The caller's deadline passed, or it cancelled, before the work was done. */
  static StatusRuntimeException callEnded(io.grpc.Context context) {
    boolean expired = context.getDeadline() != null && context.getDeadline().isExpired();
    return (expired
            ? Status.DEADLINE_EXCEEDED.withDescription(
                "the call's deadline passed before the job was submitted")
            : Status.CANCELLED.withDescription(
                "the call was cancelled before the job was submitted"))
        .asRuntimeException();
  }

  /**
   * Over a quota, an admission threshold or the server's capacity: RESOURCE_EXHAUSTED with a
   * google.rpc.RetryInfo saying when to retry (at least a millisecond).
   */
  static StatusRuntimeException resourceExhausted(Reason reason, String what, Duration retryDelay) {
    long millis = Math.max(1, retryDelay.toMillis());
    RetryInfo retry =
        RetryInfo.newBuilder()
            .setRetryDelay(
                com.google.protobuf.Duration.newBuilder()
                    .setSeconds(millis / 1000)
                    .setNanos((int) (millis % 1000) * 1_000_000))
            .build();
    return refusal(
        expect(reason, Status.Code.RESOURCE_EXHAUSTED),
        what + " (retry in " + seconds(millis) + ")",
        retry);
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
          BadRequest.FieldViolation.newBuilder()
              .setField(v.field())
              .setDescription(v.description()));
    }
    return refusal(e.reason(), e.getMessage(), details.build());
  }

  private static StatusRuntimeException refusal(Reason reason, String message, Message... details) {
    return refusal(reason, message, Map.of(), details);
  }

  private static StatusRuntimeException refusal(
      Reason reason, String message, Map<String, String> metadata, Message... details) {
    com.google.rpc.Status.Builder status =
        com.google.rpc.Status.newBuilder()
            .setCode(reason.code().value())
            .setMessage(message)
            .addDetails(
                Any.pack(
                    ErrorInfo.newBuilder()
                        .setDomain(Reason.DOMAIN)
                        .setReason(reason.name())
                        .putAllMetadata(metadata)
                        .build()));
    for (Message detail : details) {
      status.addDetails(Any.pack(detail));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  /** A reason given to the wrong kind of refusal is a defect at the throw site. */
  private static Reason expect(Reason reason, Status.Code code) {
    if (reason.code() != code) {
      throw new IllegalArgumentException(
          "reason "
              + reason
              + " goes with "
              + reason.code()
              + " (expected: a reason of "
              + code
              + ")");
    }
    return reason;
  }
}
