package dev.polyrun.coordinator.internal;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown with the violations of a request; becomes INVALID_ARGUMENT with field violations. At most
 * {@link #MAX_REPORTED} are kept, and a last one counts the rest: the status travels in HTTP/2
 * trailers, which a client refuses beyond a few kilobytes. Its reason is the violations' own when
 * they are all of one kind (e.g. UNKNOWN_LANGUAGE), else INVALID_REQUEST.
 */
final class InvalidRequestException extends RuntimeException {
  static final int MAX_REPORTED = 20;
  private static final long serialVersionUID = 1L;
  private final transient List<Violation> violations;
  private final Reason reason;

  InvalidRequestException(List<Violation> violations) {
    super(capped(violations).stream().map(Violation::toString).collect(Collectors.joining("; ")));
    this.violations = List.copyOf(capped(violations));
    List<Reason> reasons = violations.stream().map(Violation::reason).distinct().toList();
    this.reason = reasons.size() == 1 ? reasons.get(0) : Reason.INVALID_REQUEST;
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

  /** The ErrorInfo reason of the refusal. */
  Reason reason() {
    return reason;
  }
}
