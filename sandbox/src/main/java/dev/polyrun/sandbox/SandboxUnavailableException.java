package dev.polyrun.sandbox;

/**
 * The sandbox cannot isolate stages as its policy says on this host (a feature did not take effect,
 * its id ranges are taken, the runtime is missing). Retrying does not help until the host or the
 * policy changes; the message says what is missing and what would loosen it.
 */
public final class SandboxUnavailableException extends RuntimeException {
  public SandboxUnavailableException(String message) {
    super(message);
  }

  public SandboxUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
