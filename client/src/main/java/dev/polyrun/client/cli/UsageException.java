package dev.polyrun.client.cli;

/**
 * A problem with what the user asked for that picocli cannot see (an unreadable file, an unknown
 * extension): reported in one line, exit code {@link ExitCodes#USAGE}.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
