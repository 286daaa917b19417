package dev.polyrun.queue;

/**
 * Where a job came from, for its trace.
 *
 * @param traceParent the W3C {@code traceparent} stored at submission ("" for none)
 * @param createdAtMs when the coordinator stored the job, milliseconds since the epoch (0 unknown)
 */
public record JobOrigin(String traceParent, long createdAtMs) {
  /** A job whose origin is not known. */
  public static final JobOrigin UNKNOWN = new JobOrigin("", 0);

  /**
   * The trace id (32 hex digits) of a {@code traceparent} ({@code 00-<trace id>-<span
   * id>-<flags>}), or "" when it is empty or malformed.
   */
  public static String traceId(String traceParent) {
    if (traceParent == null || traceParent.length() < 55 || traceParent.charAt(2) != '-') {
      return "";
    }
    String id = traceParent.substring(3, 35);
    return id.matches("[0-9a-f]{32}") && !id.equals("0".repeat(32)) ? id : "";
  }
}
