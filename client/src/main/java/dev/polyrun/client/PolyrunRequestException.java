package dev.polyrun.client;

import io.grpc.Status;
import java.util.List;

/**
 * The service refused the request, or the call was cancelled: retrying the same request will fail
 * the same way. Codes: {@code INVALID_ARGUMENT} (see {@link #fieldViolations()}), {@code
 * NOT_FOUND}, {@code UNAUTHENTICATED}, {@code PERMISSION_DENIED}, {@code FAILED_PRECONDITION},
 * {@code UNIMPLEMENTED}, {@code INTERNAL}, {@code CANCELLED} (the calling thread was interrupted)
 * and the other non-transient codes.
 */
public final class PolyrunRequestException extends PolyrunException {
  private static final long serialVersionUID = 1L;

  private final List<FieldViolation> fieldViolations;

  /**
   * Creates the exception without a reason; normally only the client creates it.
   *
   * @param code the gRPC status code
   * @param description the status description, may be empty
   * @param fieldViolations invalid fields reported with {@code INVALID_ARGUMENT}, may be empty
   * @param jobId the job whose stream failed, or null
   * @param lastCursor cursor of the last delivered event, or null
   * @param cause the underlying gRPC exception, or null
   */
  public PolyrunRequestException(
      Status.Code code,
      String description,
      List<FieldViolation> fieldViolations,
      String jobId,
      String lastCursor,
      Throwable cause) {
    this(code, "", description, fieldViolations, jobId, lastCursor, cause);
  }

  /**
   * Creates the exception; normally only the client creates it.
   *
   * @param code the gRPC status code
   * @param reason the service's ErrorInfo reason, may be empty
   * @param description the status description, may be empty
   * @param fieldViolations invalid fields reported with {@code INVALID_ARGUMENT}, may be empty
   * @param jobId the job whose stream failed, or null
   * @param lastCursor cursor of the last delivered event, or null
   * @param cause the underlying gRPC exception, or null
   */
  public PolyrunRequestException(
      Status.Code code,
      String reason,
      String description,
      List<FieldViolation> fieldViolations,
      String jobId,
      String lastCursor,
      Throwable cause) {
    super(code, reason, description, jobId, lastCursor, cause);
    this.fieldViolations = List.copyOf(fieldViolations);
  }

  /** Returns false: the same request would be refused again. */
  @Override
  public boolean isRetryable() {
    return false;
  }

  /** The invalid fields the service named, in its order; empty when it named none. */
  public List<FieldViolation> fieldViolations() {
    return fieldViolations;
  }
}
