package dev.polyrun.queue;

/** Data stored in Redis could not be read as polyrun wrote it; retrying will not help. */
public class QueueDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public QueueDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
