package dev.polyrun.client.cli;

import dev.polyrun.client.PolyrunClient;
import java.util.function.Supplier;

/**
 * While installed, a JVM shutdown (Ctrl-C, SIGTERM) cancels the running job, so an interrupted
 * {@code polyrun run} leaves nothing running on the cluster. The request also asks the service to
 * cancel on disconnect; this covers the case where the connection outlives the process briefly.
 */
final class CancelOnExit implements AutoCloseable {
  private static final long CANCEL_WAIT_MILLIS = 2_000;

  private final Thread hook;

  private CancelOnExit(Thread hook) {
    this.hook = hook;
  }

  static CancelOnExit install(PolyrunClient client, Supplier<String> jobId) {
    Thread hook = new Thread(() -> cancel(client, jobId.get()), "polyrun-cancel-on-exit");
    Runtime.getRuntime().addShutdownHook(hook);
    return new CancelOnExit(hook);
  }

  private static void cancel(PolyrunClient client, String jobId) {
    if (jobId == null) {
      return;
    }
    // The cancel call gets a bounded wait of its own: shutdown must not hang on a dead service.
    Thread call =
        Thread.ofPlatform()
            .daemon()
            .name("polyrun-cancel")
            .start(
                () -> {
                  try {
                    client.cancel(jobId);
                  } catch (RuntimeException e) {
                    // Best effort: the service also cancels when the connection drops.
                  }
                });
    try {
      call.join(CANCEL_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook runs and cancels.
    }
  }
}
