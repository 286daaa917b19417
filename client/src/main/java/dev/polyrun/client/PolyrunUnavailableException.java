package dev.polyrun.client;

import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;

/**
 * The service could not take the call now, or the connection to it was lost: a retry may succeed.
 * Codes: {@code UNAVAILABLE} (not reachable, restarting, connection lost), {@code
 * DEADLINE_EXCEEDED} (the client's deadline passed), {@code RESOURCE_EXHAUSTED} (admission control;
 * see {@link #retryDelay()}) and {@code ABORTED}.
 */
public final class PolyrunUnavailableException extends PolyrunException {
  private static final long serialVersionUID = 1L;

  private final Duration retryDelay;

  /**
   * Creates the exception without a reason; normally only the client creates it.
   *
   * @param code the gRPC status code
   * @param description the status description, may be empty
   * @param retryDelay how long the service asked the client to wait, or null
   * @param jobId the job whose stream failed, or null
   * @param lastCursor cursor of the last delivered event, or null
   * @param cause the underlying gRPC exception, or null
   */
  public PolyrunUnavailableException(
      Status.Code code,
      String description,
      Duration retryDelay,
      String jobId,
      String lastCursor,
      Throwable cause) {
    this(code, "", description, retryDelay, jobId, lastCursor, cause);
  }

  /**
   * Creates the exception; normally only the client creates it.
   *
   * @param code the gRPC status code
   * @param reason the service's ErrorInfo reason, may be empty
   * @param description the status description, may be empty
   * @param retryDelay how long the service asked the client to wait, or null
   * @param jobId the job whose stream failed, or null
   * @param lastCursor cursor of the last delivered event, or null
   * @param cause the underlying gRPC exception, or null
   */
  public PolyrunUnavailableException(
      Status.Code code,
      String reason,
      String description,
      Duration retryDelay,
      String jobId,
      String lastCursor,
      Throwable cause) {
    super(code, reason, description, jobId, lastCursor, cause);
    this.retryDelay = retryDelay;
  }

  /** Returns true: the call may succeed later. */
  @Override
  public boolean isRetryable() {
    return true;
  }

  /** How long the service asked the client to wait before retrying, when it said. */
  public Optional<Duration> retryDelay() {
    return Optional.ofNullable(retryDelay);
  }
}
