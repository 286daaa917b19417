package dev.polyrun.coordinator.internal;

/**
 * A problem with one field of a request.
 *
 * @param field path of the field, e.g. {@code run_limits.memory_bytes} or {@code files[2].path}
 * @param description the bad value and what was expected
 */
record Violation(String field, String description) {
  @Override
  public String toString() {
    return field + ": " + description;
  }
}
