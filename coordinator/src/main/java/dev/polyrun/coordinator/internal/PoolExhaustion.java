package dev.polyrun.coordinator.internal;

import dev.polyrun.queue.ConnectionStats;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports calls that found no free pooled Redis connection within the pool wait: each one is
 * counted ({@code polyrun.redis.pool.exhausted}), and logged once per burst with the pool's
 * figures, so an operator sees that the coordinator, not Redis, is the bottleneck. Thread-safe.
 */
public final class PoolExhaustion {
  private static final Logger log = LoggerFactory.getLogger(PoolExhaustion.class);
  private final CoordinatorMetrics metrics;
  private final Supplier<ConnectionStats> pool;
  private final BurstLog burst = new BurstLog(Duration.ofSeconds(30), System::nanoTime);

  public PoolExhaustion(CoordinatorMetrics metrics, Supplier<ConnectionStats> pool) {
    this.metrics = metrics;
    this.pool = pool;
  }

  /** A call named {@code call} (e.g. "Submit", "stream catch-up") found no free connection. */
  public void report(String call) {
    metrics.poolExhausted(call);
    long unlogged = burst.occurred();
    if (unlogged >= 0) {
      ConnectionStats s = pool.get();
      log.warn(
          "no free Redis connection for {} within the pool wait: {} of {} in use, {} waiting (Redis itself"
              + " answers; raise redis.max-connections or add coordinators){}",
          call,
          s.active(),
          s.max(),
          s.waiting(),
          unlogged == 0 ? "" : "; " + unlogged + " more such calls since the last report");
    }
  }
}
