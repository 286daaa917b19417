package dev.polyrun.queue;

/** Redis could not be reached or did not answer in time; retrying later may succeed. */
public class QueueUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public QueueUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
