package dev.polyrun.loadtest.internal;

import dev.polyrun.loadtest.Profile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A closed loop: {@code callers} threads each send a request, wait for its result and send the
 * next, until the duration is over. Measures what the service sustains at that concurrency; latency
 * is from each call's own start.
 */
public final class ClosedLoop {
  private ClosedLoop() {}

  /** Runs the loop and returns when every caller's last call has ended. */
  public static void run(
      int callers, Duration duration, Profile profile, ClientPool pool, Recorder sink, long seed)
      throws InterruptedException {
    if (callers < 1) {
      throw new IllegalArgumentException("concurrency: " + callers + " (expected: >= 1)");
    }
    long end = System.nanoTime() + duration.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      int index = i;
      SplittableRandom random = new SplittableRandom(seed + i);
      threads.add(
          Thread.ofVirtual()
              .name("caller-" + i)
              .start(
                  () -> {
                    Caller caller = pool.caller(index);
                    while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                      long now = System.nanoTime();
                      sink.add(caller.call(profile.pick(random.nextDouble()), now));
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
  }
}
