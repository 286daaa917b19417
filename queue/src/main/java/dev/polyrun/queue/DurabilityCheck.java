package dev.polyrun.queue;

/**
 * Whether Redis, as configured now, keeps the promise of a {@link Durability}.
 *
 * @param outcome whether it holds, cannot be told, or falls short
 * @param detail what Redis reported, in words, e.g. "appendfsync is everysec (expected: always)"
 */
public record DurabilityCheck(Outcome outcome, String detail) {
  /** The check's outcome. */
  public enum Outcome {
    /** Redis's configuration gives what is promised. */
    HOLDS,
    /** Redis did not let its configuration be read (CONFIG is renamed or not allowed). */
    UNKNOWN,
    /** Redis's configuration contradicts the promise. */
    FALLS_SHORT
  }
}
