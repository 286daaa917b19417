package dev.polyrun.coordinator.internal;

/**
 * A problem with one field of a request.
 *
 * @param field path of the field, e.g. {@code run_limits.memory_bytes} or {@code files[2].path}
 * @param description the bad value and what was expected
 * @param reason the kind of problem, sent as the refusal's ErrorInfo reason when it is the only
 *     kind in the request
 */
record Violation(String field, String description, Reason reason) {
  /** A violation without a reason of its own ({@link Reason#INVALID_REQUEST}). */
  Violation(String field, String description) {
    this(field, description, Reason.INVALID_REQUEST);
  }

  @Override
  public String toString() {
    return field + ": " + description;
  }
}
