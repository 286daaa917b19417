package dev.polyrun.queue;

import dev.polyrun.config.Settings;
import java.time.Duration;

/** The queue's part of a process's {@link Settings}: where Redis is and how the queue behaves. */
public final class QueueSettings {
  private QueueSettings() {}

  /** Redis address and password ({@code redis.address}, {@code redis.password}). */
  public static RedisSettings redis(Settings settings) {
    return RedisSettings.parse(
        settings.get("redis.address", "redis://127.0.0.1:6379"), settings.get("redis.password", null));
  }

  /**
   * Queue options ({@code queue.prefix}, {@code queue.job-ttl}, {@code queue.lease},
   * {@code queue.max-deliveries}, {@code queue.queued-ttl}).
   */
  public static QueueOptions queueOptions(Settings settings) {
    return QueueOptions.builder()
        .keyPrefix(settings.get("queue.prefix", "polyrun"))
        .jobTtl(settings.getDuration("queue.job-ttl", Duration.ofHours(1)))
        .lease(settings.getDuration("queue.lease", Duration.ofSeconds(30)))
        .maxDeliveries(settings.getInt("queue.max-deliveries", 3, 1, 100))
        .queuedTtl(settings.getDuration("queue.queued-ttl", Duration.ofHours(24)))
        .build();
  }
}
