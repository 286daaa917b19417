package dev.polyrun.coordinator.internal.stream;

import java.util.Locale;

/** Why an event stream ended, as counted in {@code polyrun.streams.ended}. */
public enum StreamEnd {
  /** The result was sent (or the client resumed after it). */
  RESULT,
  /** The client cancelled, went away, or its deadline passed. */
  CANCELLED,
  /** The client read too slowly: its buffer filled and the stream ended with RESOURCE_EXHAUSTED. */
  TOO_SLOW,
  /** The job's record expired while it was streamed. */
  NOT_FOUND,
  /** Redis stayed unreachable past the outage a stream rides out. */
  UNAVAILABLE,
  /** The coordinator shut down. */
  CLOSED,
  /** Anything else (logged). */
  FAILED;

  /** The metric attribute value, e.g. {@code too_slow}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
