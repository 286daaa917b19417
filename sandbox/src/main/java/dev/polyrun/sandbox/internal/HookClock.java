package dev.polyrun.sandbox.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Times a container's creation and start by the worker's clock. The runtime runs a hook at
 * createRuntime and at poststart that copies the container's state (JSON) into a FIFO; a reader
 * here stamps each message for this container as it arrives. The FIFO belongs to one slot and is
 * opened read-write for one stage at a time, so the hook never blocks on it and nothing is left in
 * it between stages.
 */
final class HookClock implements AutoCloseable {
  private final String containerId;
  private final RandomAccessFile fifo;
  private final Clock clock;
  private final List<Instant> stamps = new CopyOnWriteArrayList<>();
  private final Thread reader;
  private volatile boolean closed;

  private HookClock(String containerId, RandomAccessFile fifo, Clock clock) {
    this.containerId = containerId;
    this.fifo = fifo;
    this.clock = clock;
    // A platform thread: a read of a FIFO pins a virtual thread's carrier, and two pinned carriers
    // would starve the stage's stdin feeder.
    this.reader = Thread.ofPlatform().daemon().name("hooks-" + containerId).start(this::read);
  }

  /** Starts listening on the slot's FIFO for messages about {@code containerId}. */
  static HookClock listen(Path fifo, String containerId, Clock clock) throws IOException {
    return new HookClock(containerId, new RandomAccessFile(fifo.toFile(), "rw"), clock);
  }

  private void read() {
    byte[] buf = new byte[8192];
    StringBuilder pending = new StringBuilder();
    try {
      int n;
      while (!closed && (n = fifo.read(buf)) > 0) {
        Instant now = clock.instant();
        pending.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        for (String message : completeObjects(pending)) {
          // A hook of another container (left blocked by a crashed runtime) is not ours.
          if (message.contains("\"id\":\"" + containerId + "\"")) {
            stamps.add(now);
          }
        }
      }
    } catch (IOException e) {
      // closed under us at the end of the stage
    }
  }

  /** Removes and returns the complete top-level JSON objects at the start of {@code text}. */
  static List<String> completeObjects(StringBuilder text) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = -1;
    boolean inString = false;
    int consumed = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{') {
        if (depth++ == 0) {
          start = i;
        }
      } else if (c == '}' && depth > 0 && --depth == 0) {
        out.add(text.substring(start, i + 1));
        consumed = i + 1;
      }
    }
    text.delete(0, depth == 0 ? text.length() : consumed);
    return out;
  }

  /** When the container was created (createRuntime hook), or null. */
  Instant readyAt() {
    return stamps.isEmpty() ? null : stamps.get(0);
  }

  /** When the runtime released the program (poststart hook), or null. */
  Instant startedAt() {
    return stamps.size() < 2 ? null : stamps.get(1);
  }

  @Override
  public void close() {
    closed = true;
    try {
      // wakes the reader: this handle is a writer too
      fifo.write('\n');
      reader.join(1000);
      fifo.close();
    } catch (IOException e) {
      // nothing to release beyond the descriptor
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
