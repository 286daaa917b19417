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
 *
 * <p>Chunks are coalesced: a chunk that comes within {@link #LINGER} of the last one delivered
 * waits out the rest of that time for more (up to 64 KiB), so a program printing a byte at a time
 * makes at most a couple of hundred chunks a second per stream, not one per byte. The first chunk,
 * and any after a quiet spell, goes out at once.
 */
final class OutputPump implements Runnable {
  private static final int CHUNK = 64 * 1024;
  static final java.time.Duration LINGER = java.time.Duration.ofMillis(5);
  private long lastDelivery = System.nanoTime() - LINGER.toNanos();
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
      while ((n = fill(buf)) >= 0) {
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
        lastDelivery = System.nanoTime();
        if (keep < n && !overflowed) {
          overflowed = true;
          onOverflow.run();
        }
      }
    } catch (IOException e) {
      // the pipe closed under us: the container is gone
    }
  }

  /** Reads a chunk, then, within the linger time of the last delivery, whatever else comes. */
  private int fill(byte[] buf) throws IOException {
    int n = in.read(buf);
    if (n <= 0) {
      return n;
    }
    long deadline = lastDelivery + LINGER.toNanos();
    while (n < buf.length && System.nanoTime() - deadline < 0) {
      int ready = in.available();
      if (ready > 0) {
        int r = in.read(buf, n, Math.min(ready, buf.length - n));
        if (r < 0) {
          break;
        }
        n += r;
      } else {
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    return n;
  }
}
