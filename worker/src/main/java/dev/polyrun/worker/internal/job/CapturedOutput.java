package dev.polyrun.worker.internal.job;

import dev.polyrun.worker.sandbox.OutputListener;
import java.io.ByteArrayOutputStream;

/** Collects a compile stage's stdout and stderr, interleaved as they arrived. */
final class CapturedOutput implements OutputListener {
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  @Override
  public synchronized void stdout(byte[] chunk) {
    buffer.writeBytes(chunk);
  }

  @Override
  public synchronized void stderr(byte[] chunk) {
    buffer.writeBytes(chunk);
  }

  synchronized byte[] bytes() {
    return buffer.toByteArray();
  }
}
