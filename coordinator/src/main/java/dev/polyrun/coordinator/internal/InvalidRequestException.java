package dev.polyrun.coordinator.internal;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown with the violations of a request; becomes INVALID_ARGUMENT with field violations. At most
 * {@link #MAX_REPORTED} are kept, and a last one counts the rest: the status travels in HTTP/2
 * trailers, which a client refuses beyond a few kilobytes.
 */
final class InvalidRequestException extends RuntimeException {
  static final int MAX_REPORTED = 20;
  private static final long serialVersionUID = 1L;
  private final transient List<Violation> violations;

  InvalidRequestException(List<Violation> violations) {
    super(capped(violations).stream().map(Violation::toString).collect(Collectors.joining("; ")));
    this.violations = List.copyOf(capped(violations));
  }

  private static List<Violation> capped(List<Violation> all) {
    if (all.size() <= MAX_REPORTED) {
      return all;
    }
    List<Violation> kept = new java.util.ArrayList<>(all.subList(0, MAX_REPORTED));
    kept.add(new Violation("request", (all.size() - MAX_REPORTED) + " more violations not listed"));
    return kept;
  }

  InvalidRequestException(String field, String description) {
    this(List.of(new Violation(field, description)));
  }

  List<Violation> violations() {
    return violations;
  }
}
