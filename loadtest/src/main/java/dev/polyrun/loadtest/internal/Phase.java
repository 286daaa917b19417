package dev.polyrun.loadtest.internal;

/**
 * Moments in one execution, each measured in milliseconds from the moment the request was sent.
 * Client phases are arrival times of the stream's events; server phases come from the result's
 * {@code Timeline} (wall-clock timestamps, so they line up with the client's only on one host or
 * with synchronised clocks).
 */
public enum Phase {
  FIRST_EVENT("first event", true),
  QUEUED("queued", false),
  CLAIMED("claimed", false),
  CONTAINER_READY("container ready", false),
  STARTED("started", false),
  STARTED_EVENT("started event", true),
  FIRST_OUTPUT("first output", true),
  EXITED("exited", false),
  STORED("stored", false),
  RESULT("result", true);

  private final String label;
  private final boolean client;

  Phase(String label, boolean client) {
    this.label = label;
    this.client = client;
  }

  /** The name reports use, e.g. {@code first output}. */
  public String label() {
    return label;
  }

  /** Whether the client saw it (event arrival) rather than the server reported it (timeline). */
  public boolean client() {
    return client;
  }
}
