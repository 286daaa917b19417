package dev.polyrun.coordinator.internal;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
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

/** Maps every failure of a call to its gRPC status: the one place where that is decided. */
public final class Statuses {
  private static final Logger log = LoggerFactory.getLogger(Statuses.class);
  /** The google.rpc.ErrorInfo domain of polyrun's reasons. */
  static final String DOMAIN = "polyrun.dev";
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
    if (t instanceof QueueBusyException) {
      return withReason(Code.RESOURCE_EXHAUSTED, "this coordinator is busy: none of its pooled Redis connections"
          + " became free in time (Redis is not known to be down); retry, here or on another coordinator", "SERVER_BUSY",
          Map.of(), BUSY_RETRY);
    }
    if (t instanceof QueueUnavailableException) {
      return withReason(Code.UNAVAILABLE, "the job store (Redis) is unavailable; retry later",
          "JOB_STORE_UNAVAILABLE", Map.of(), null);
    }
    if (t instanceof QueueDataException) {
      log.error("unreadable data in the job store", t);
      return Status.INTERNAL.withDescription("unreadable data in the job store").asRuntimeException();
    }
    log.error("unexpected failure", t);
    return Status.INTERNAL.withDescription("internal error").asRuntimeException();
  }

  /**
   * A stream whose client read more slowly than its job printed, past what a stream may hold: the
   * client resumes after the last cursor it read.
   */
  public static StatusRuntimeException tooSlow(String jobId, String lastCursor, int events, long bytes) {
    return withReason(Code.RESOURCE_EXHAUSTED, "the client read job " + jobId + "'s events more slowly than they"
        + " came: " + events + " events (" + bytes + " bytes) were waiting for it, the most one stream holds;"
        + " resume with StreamEvents(job_id=" + jobId + ", after_cursor=" + (lastCursor.isEmpty() ? "\"\"" : lastCursor)
        + ")", "STREAM_TOO_SLOW", Map.of("job_id", jobId, "after_cursor", lastCursor), null);
  }

  /** A status with a google.rpc.ErrorInfo of polyrun's domain and, when not null, a RetryInfo. */
  public static StatusRuntimeException withReason(Code code, String message, String reason, Map<String, String> metadata,
      Duration retryDelay) {
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
        .setCode(code.getNumber())
        .setMessage(retryDelay == null ? message : message + " (retry in " + seconds(retryDelay.toMillis()) + ")")
        .addDetails(Any.pack(ErrorInfo.newBuilder().setDomain(DOMAIN).setReason(reason).putAllMetadata(metadata).build()));
    if (retryDelay != null) {
      status.addDetails(Any.pack(retryInfo(retryDelay)));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  private static RetryInfo retryInfo(Duration delay) {
    long millis = Math.max(1, delay.toMillis());
    return RetryInfo.newBuilder()
        .setRetryDelay(com.google.protobuf.Duration.newBuilder()
            .setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000))
        .build();
  }

  public static StatusRuntimeException notFound(String what) {
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
  public static StatusRuntimeException unavailable(String what) {
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
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
        .setMessage(what + " (retry in " + seconds(millis) + ")")
        .addDetails(Any.pack(retryInfo(retryDelay)))
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
