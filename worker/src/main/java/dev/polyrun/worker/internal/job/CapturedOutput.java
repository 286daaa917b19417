package dev.polyrun.worker.internal.job;

import dev.polyrun.sandbox.OutputListener;
import java.io.ByteArrayOutputStream;

/**
 * Collects a stage's output: stdout and stderr interleaved as they arrived (a compiler's messages),
 * or stdout alone (a test case's answer).
 */
final class CapturedOutput implements OutputListener {
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final boolean stdoutOnly;

  CapturedOutput() {
    this(false);
  }

  CapturedOutput(boolean stdoutOnly) {
    this.stdoutOnly = stdoutOnly;
  }

  @Override
  public synchronized void stdout(byte[] chunk) {
    buffer.writeBytes(chunk);
  }

  @Override
  public synchronized void stderr(byte[] chunk) {
    if (!stdoutOnly) {
      buffer.writeBytes(chunk);
    }
  }

  synchronized byte[] bytes() {
    return buffer.toByteArray();
  }

  synchronized byte[] stdout() {
    return buffer.toByteArray();
  }
}
