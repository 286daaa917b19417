package dev.polyrun.sandbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Copies one of a container's output pipes to a listener as chunks arrive, within a byte budget
 * shared by stdout and stderr. Past the budget it delivers what still fits, reports the overflow
 * once and keeps draining (and dropping) so the writer never blocks on a full pipe.
 */
final class OutputPump implements Runnable {
  private static final int CHUNK = 64 * 1024;
  private final InputStream in;
  private final AtomicLong budget;
  private final Consumer<byte[]> sink;
  private final Runnable onOverflow;

  OutputPump(InputStream in, AtomicLong budget, Consumer<byte[]> sink, Runnable onOverflow) {
    this.in = in;
    this.budget = budget;
    this.sink = sink;
    this.onOverflow = onOverflow;
  }

  @Override
  public void run() {
    byte[] buf = new byte[CHUNK];
    boolean overflowed = false;
    boolean sinkFailed = false;
    try (in) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (n == 0) {
          continue;
        }
        long before = budget.getAndAdd(-n);
        int keep = (int) Math.max(0, Math.min(n, before));
        if (keep > 0 && !sinkFailed) {
          try {
            sink.accept(Arrays.copyOf(buf, keep));
          } catch (RuntimeException e) {
            // the listener failed (its store is gone): keep draining so the program never blocks
            sinkFailed = true;
          }
        }
        if (keep < n && !overflowed) {
          overflowed = true;
          onOverflow.run();
        }
      }
    } catch (IOException e) {
      // the pipe closed under us: the container is gone
    }
  }
}
