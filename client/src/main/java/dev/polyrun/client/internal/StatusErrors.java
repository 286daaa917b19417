package dev.polyrun.client.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.polyrun.client.FieldViolation;
import dev.polyrun.client.PolyrunException;
import dev.polyrun.client.PolyrunRequestException;
import dev.polyrun.client.PolyrunUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Maps gRPC failures to the client's exceptions: the one place that decides what is retryable. */
public final class StatusErrors {
  /** The ErrorInfo domain of polyrun's refusals. */
  static final String DOMAIN = "polyrun.dev";

  private static final Set<Status.Code> RETRYABLE =
      Set.of(
          Status.Code.UNAVAILABLE,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.ABORTED);

  private StatusErrors() {}

  /** Whether a call that failed with this code may succeed when retried. */
  public static boolean isRetryable(Status.Code code) {
    return RETRYABLE.contains(code);
  }

  /** The exception for a failed call that was not about a particular job's stream. */
  public static PolyrunException toException(StatusRuntimeException e) {
    return toException(e, null, null);
  }

  /**
   * The exception for a failed call.
   *
   * @param jobId the job whose stream failed, or null
   * @param lastCursor cursor of the last delivered event, or null
   */
  public static PolyrunException toException(
      StatusRuntimeException e, String jobId, String lastCursor) {
    Status status = e.getStatus();
    String description = describe(status);
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    List<Any> anys = details == null ? List.of() : details.getDetailsList();
    String reason = reason(anys);
    if (isRetryable(status.getCode())) {
      return new PolyrunUnavailableException(
          status.getCode(), reason, description, retryDelay(anys), jobId, lastCursor, e);
    }
    return new PolyrunRequestException(
        status.getCode(), reason, description, fieldViolations(anys), jobId, lastCursor, e);
  }

  private static String describe(Status status) {
    String description = status.getDescription() == null ? "" : status.getDescription();
    Throwable cause = status.getCause();
    if (cause == null || cause.getMessage() == null || description.contains(cause.getMessage())) {
      return description;
    }
    // Client-side failures (connection refused, unknown host) say what happened only in the cause.
    return description.isEmpty() ? cause.getMessage() : description + ": " + cause.getMessage();
  }

  /** The reason of polyrun's ErrorInfo among the details; empty without one. */
  static String reason(List<Any> details) {
    for (Any any : details) {
      if (any.is(ErrorInfo.class)) {
        ErrorInfo info = unpack(any, ErrorInfo.class, ErrorInfo.getDefaultInstance());
        if (DOMAIN.equals(info.getDomain())) {
          return info.getReason();
        }
      }
    }
    return "";
  }

  static List<FieldViolation> fieldViolations(List<Any> details) {
    List<FieldViolation> violations = new ArrayList<>();
    for (Any any : details) {
      if (any.is(BadRequest.class)) {
        BadRequest badRequest = unpack(any, BadRequest.class, BadRequest.getDefaultInstance());
        for (BadRequest.FieldViolation v : badRequest.getFieldViolationsList()) {
          violations.add(new FieldViolation(v.getField(), v.getDescription()));
        }
      }
    }
    return violations;
  }

  static Duration retryDelay(List<Any> details) {
    for (Any any : details) {
      if (any.is(RetryInfo.class)) {
        RetryInfo info = unpack(any, RetryInfo.class, RetryInfo.getDefaultInstance());
        if (info.hasRetryDelay()) {
          com.google.protobuf.Duration d = info.getRetryDelay();
          return Duration.ofSeconds(d.getSeconds(), d.getNanos());
        }
      }
    }
    return null;
  }

  private static <T extends com.google.protobuf.Message> T unpack(
      Any any, Class<T> type, T fallback) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      // A malformed detail must not hide the status itself.
      return fallback;
    }
  }
}
