package dev.polyrun.queue;

/**
 * Redis refused this process's credentials ({@code WRONGPASS}: no such user, a wrong password or a
 * disabled user; {@code NOAUTH}: a password is required): a configuration error that a retry does
 * not cure until the user or its password changes. The message names the user and, where known, the
 * address; never the password. (A command the user's ACL rule denies fails with Jedis's own {@code
 * NOPERM} error, as before.)
 */
public final class QueueAccessException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public QueueAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
