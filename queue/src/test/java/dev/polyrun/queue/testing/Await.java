package dev.polyrun.queue.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits in tests for something another thread or process makes true, polling with a short, growing
 * pause: the one way tests wait for a state, instead of sleeping a guessed time. It lives in the
 * queue module's test-jar because every module's tests (coordinator, worker, e2e) already depend on
 * it.
 */
public final class Await {
  private static final long FIRST_PAUSE_MILLIS = 10;
  private static final long LONGEST_PAUSE_MILLIS = 200;

  private Await() {}

  /**
   * Returns once {@code condition} is true; fails with an {@link AssertionError} naming {@code
   * what} and {@code timeout} when it is still false after {@code timeout}.
   *
   * @param what what is awaited, as a sentence ("job 42 is cancelled")
   */
  public static void until(Duration timeout, BooleanSupplier condition, String what) {
    value(
        timeout,
        () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(),
        what);
  }

  /**
   * The first value {@code probe} gives; fails with an {@link AssertionError} naming {@code what}
   * and {@code timeout} when it gives none within {@code timeout}.
   */
  public static <T> T value(Duration timeout, Supplier<Optional<T>> probe, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = FIRST_PAUSE_MILLIS;
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("expected within " + timeout + ": " + what + " (it was not)");
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what, e);
      }
      pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
    }
  }
}
