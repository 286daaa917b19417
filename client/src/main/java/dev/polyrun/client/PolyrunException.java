package dev.polyrun.client;

import io.grpc.Status;
import java.util.Objects;
import java.util.Optional;

/**
 * A call to the polyrun service failed: the service refused the request or could not be reached.
 *
 * <p>A program that fails to compile or run is not an exception; it is a successful call whose
 * {@code Result} carries the verdict. The two subclasses say whether a retry can help: {@link
 * PolyrunRequestException} (retrying the same request will fail the same way) and {@link
 * PolyrunUnavailableException} (the service, or the way to it, failed; a retry may succeed).
 *
 * <p>When a job's event stream failed after the job was accepted, {@link #jobId()} and {@link
 * #lastCursor()} say where to resume with {@link PolyrunClient#streamEvents}.
 */
public abstract sealed class PolyrunException extends RuntimeException
    permits PolyrunRequestException, PolyrunUnavailableException {
  private static final long serialVersionUID = 1L;

  private final Status.Code code;
  private final String reason;
  private final String description;
  private final String jobId;
  private final String lastCursor;

  PolyrunException(
      Status.Code code,
      String reason,
      String description,
      String jobId,
      String lastCursor,
      Throwable cause) {
    super(message(code, description), cause);
    this.code = Objects.requireNonNull(code, "code");
    this.reason = reason == null ? "" : reason;
    this.description = description == null ? "" : description;
    this.jobId = jobId;
    this.lastCursor = lastCursor;
  }

  private static String message(Status.Code code, String description) {
    return description == null || description.isEmpty() ? code.name() : code + ": " + description;
  }

  /** The gRPC status code of the failure, e.g. {@code INVALID_ARGUMENT} or {@code UNAVAILABLE}. */
  public Status.Code code() {
    return code;
  }

  /**
   * The service's stable reason for the refusal (the {@code google.rpc.ErrorInfo} of domain {@code
   * polyrun.dev}), e.g. {@code QUOTA_EXCEEDED}, {@code UNKNOWN_LANGUAGE} or {@code JOB_NOT_FOUND}:
   * branch on it rather than on the description, which may change. The contract (executor.proto)
   * lists every reason. Empty when the service gave none: the connection failed, or the call's
   * deadline passed or it was cancelled.
   */
  public String reason() {
    return reason;
  }

  /** The service's (or the transport's) description of the failure; empty when it gave none. */
  public String description() {
    return description;
  }

  /** Whether the same call may succeed when retried later. */
  public abstract boolean isRetryable();

  /** The job whose event stream failed, when the failure came after the job was accepted. */
  public Optional<String> jobId() {
    return Optional.ofNullable(jobId);
  }

  /**
   * Cursor of the last event delivered to the listener before the failure, when one was; pass it
   * with {@link #jobId()} to {@link PolyrunClient#streamEvents} to resume without loss or repeats.
   */
  public Optional<String> lastCursor() {
    return Optional.ofNullable(lastCursor);
  }
}
