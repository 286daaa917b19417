package dev.polyrun.loadtest.internal;

import dev.polyrun.loadtest.Profile;
import dev.polyrun.loadtest.Program;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An open loop: requests are sent at a fixed rate whatever the service does, each on its own
 * virtual thread, and latency is measured from the time a request was meant to be sent. A service
 * that stalls therefore shows the whole stall in every request that should have gone out meanwhile
 * (no coordinated omission). Beyond {@code maxInFlight} outstanding calls a request is recorded as
 * {@code CLIENT_OVERLOAD} instead of sent, so the harness itself cannot run out of memory.
 *
 * @param rate requests per second
 * @param duration how long requests are sent
 * @param maxInFlight most calls outstanding at once
 * @param drain how long calls still running at the end may take before they are cancelled
 */
public record OpenLoop(double rate, Duration duration, int maxInFlight, Duration drain) {
  public OpenLoop {
    if (!(rate > 0) || rate > 1_000_000) {
      throw new IllegalArgumentException(
          "rate: " + rate + " (expected: > 0 and <= 1000000 per second)");
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration: " + duration + " (expected: > 0)");
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("max in flight: " + maxInFlight + " (expected: >= 1)");
    }
  }

  /**
   * Sends one request; {@code index} counts the requests of the loop (to spread them over
   * channels).
   */
  @FunctionalInterface
  public interface Sender {
    Outcome send(long index, Program program, long intendedNanos);
  }

  /** Sends the load through the pool's callers in turns. */
  public void run(Profile profile, ClientPool pool, Recorder sink, long seed)
      throws InterruptedException {
    run(profile, (i, program, intended) -> pool.caller(i).call(program, intended), sink, seed);
  }

  /** Sends the load; returns once every call has ended or the drain period is over. */
  public void run(Profile profile, Sender sender, Recorder sink, long seed)
      throws InterruptedException {
    SplittableRandom random = new SplittableRandom(seed);
    AtomicInteger inFlight = new AtomicInteger();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    double period = 1e9 / rate;
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    try {
      for (long i = 0; ; i++) {
        long intended = start + Math.round(i * period);
        if (intended >= end) {
          break;
        }
        long wait = intended - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        Program program = profile.pick(random.nextDouble());
        if (inFlight.get() >= maxInFlight) {
          sink.add(
              new Outcome(
                  program.name(),
                  intended,
                  intended,
                  System.nanoTime(),
                  null,
                  null,
                  "CLIENT_OVERLOAD",
                  "more than " + maxInFlight + " calls outstanding",
                  0,
                  -1,
                  Map.of()));
          continue;
        }
        inFlight.incrementAndGet();
        long index = i;
        executor.execute(
            () -> {
              try {
                sink.add(sender.send(index, program, intended));
              } finally {
                inFlight.decrementAndGet();
              }
            });
      }
    } finally {
      executor.shutdown();
      if (!executor.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }
}
