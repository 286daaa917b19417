package dev.polyrun.worker.internal.job;

import dev.polyrun.sandbox.OutputListener;
import java.io.ByteArrayOutputStream;

/**
 * The run stage's output: passed on to be streamed as it arrives, and kept, stdout apart from
 * stderr, for the stored result (a client that only polls reads it there). The sandbox stops the
 * program at its output limit, which bounds what is kept. Thread-safe.
 */
final class RunOutput implements OutputListener {
  private final OutputListener stream;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  RunOutput(OutputListener stream) {
    this.stream = stream;
  }

  @Override
  public void stdout(byte[] chunk) {
    synchronized (stdout) {
      stdout.writeBytes(chunk);
    }
    stream.stdout(chunk);
  }

  @Override
  public void stderr(byte[] chunk) {
    synchronized (stderr) {
      stderr.writeBytes(chunk);
    }
    stream.stderr(chunk);
  }

  byte[] stdout() {
    synchronized (stdout) {
      return stdout.toByteArray();
    }
  }

  byte[] stderr() {
    synchronized (stderr) {
      return stderr.toByteArray();
    }
  }
}
