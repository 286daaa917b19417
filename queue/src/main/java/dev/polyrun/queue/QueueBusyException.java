package dev.polyrun.queue;

/**
 * Every pooled Redis connection of this process stayed in use for the whole pool wait: Redis is
 * fine, this process is busy. A retry (here or on another process) may succeed. A subclass of
 * {@link QueueUnavailableException}, so code that rides out Redis outages rides this out too.
 */
public final class QueueBusyException extends QueueUnavailableException {
  private static final long serialVersionUID = 1L;

  public QueueBusyException(String message, Throwable cause) {
    super(message, cause);
  }
}
