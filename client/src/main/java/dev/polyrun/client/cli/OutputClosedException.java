package dev.polyrun.client.cli;

import java.io.IOException;

/** polyrun's own stdout or stderr could not be written (e.g. the reader of a pipe went away). */
final class OutputClosedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  OutputClosedException(IOException cause) {
    super(cause.getMessage(), cause);
  }
}
