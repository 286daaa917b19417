package dev.polyrun.queue;

/**
 * Redis refused this process's credentials ({@code WRONGPASS}, {@code NOAUTH}) or one of the
 * commands or keys it needs ({@code NOPERM}): a configuration error that a retry does not cure
 * until the user, its password or its ACL rule changes. The message names the user and, where
 * known, the address; never the password.
 */
public final class QueueAccessException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public QueueAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
