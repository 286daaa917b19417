package dev.polyrun.client;

import java.io.Serializable;
import java.util.Objects;

/**
 * One invalid field of a refused request, as reported by the service in an {@code INVALID_ARGUMENT}
 * status.
 *
 * @param field path of the field, e.g. {@code run_limits.memory_bytes}
 * @param description what is wrong and what was expected
 */
public record FieldViolation(String field, String description) implements Serializable {
  public FieldViolation {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(description, "description");
  }

  @Override
  public String toString() {
    return field.isEmpty() ? description : field + ": " + description;
  }
}
