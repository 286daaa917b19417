package dev.polyrun.worker.internal.job;

import dev.polyrun.queue.QueueUnavailableException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Retries a queue call while Redis is unreachable, with backoff, for a bounded time. */
final class Retry {
  private static final Logger log = LoggerFactory.getLogger(Retry.class);

  private Retry() {}

  /**
   * The call's value, or empty when Redis stayed unreachable for {@code window} or the thread was
   * interrupted (the flag is restored).
   */
  static <T> Optional<T> withBackoff(Supplier<T> call, Duration window) {
    long deadline = System.nanoTime() + window.toNanos();
    long pause = 100;
    while (true) {
      try {
        return Optional.of(call.get());
      } catch (QueueUnavailableException e) {
        if (System.nanoTime() + pause * 1_000_000 > deadline) {
          log.warn("redis still unreachable after {}: {}", window, e.getMessage());
          return Optional.empty();
        }
        try {
          Thread.sleep(pause);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return Optional.empty();
        }
        pause = Math.min(pause * 2, 2000);
      }
    }
  }
}
