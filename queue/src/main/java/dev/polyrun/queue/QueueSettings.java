package dev.polyrun.queue;

import dev.polyrun.config.Settings;
import java.nio.file.Path;
import java.time.Duration;

/** The queue's part of a process's {@link Settings}: where Redis is and how the queue behaves. */
public final class QueueSettings {
  private QueueSettings() {}

  /**
   * Redis address, password and pool ({@code redis.address}, {@code redis.password}, {@code
   * redis.max-connections} (default 256), {@code redis.pool-wait} (default 1s)), the authorities
   * trusted for TLS ({@code redis.tls-ca}, a PEM file; default the JVM's trust store) and, for
   * Sentinel, the sentinels' own credentials ({@code redis.sentinel-user}, {@code
   * redis.sentinel-password}; default none).
   */
  public static RedisSettings redis(Settings settings) {
    return redis(settings, RedisSettings.DEFAULT_MAX_CONNECTIONS);
  }

  /** As {@link #redis(Settings)}, with the process's own default pool size. */
  public static RedisSettings redis(Settings settings, int defaultMaxConnections) {
    RedisSettings redis =
        RedisSettings.parse(
                settings.get("redis.address", "redis://127.0.0.1:6379"),
                settings.get("redis.password", null))
            .withPool(
                settings.getInt("redis.max-connections", defaultMaxConnections, 1, 10_000),
                settings.getDuration("redis.pool-wait", RedisSettings.DEFAULT_POOL_WAIT));
    String ca = settings.get("redis.tls-ca", "");
    if (!ca.isEmpty()) {
      redis = redis.withTrustedCa(Path.of(ca));
    }
    String sentinelUser = emptyToNull(settings.get("redis.sentinel-user", ""));
    String sentinelPassword = emptyToNull(settings.get("redis.sentinel-password", ""));
    if (sentinelUser != null || sentinelPassword != null) {
      redis = redis.withSentinelCredentials(sentinelUser, sentinelPassword);
    }
    return redis;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /**
   * Queue options ({@code queue.prefix}, {@code queue.job-ttl}, {@code queue.lease}, {@code
   * queue.max-deliveries}, {@code queue.queued-ttl}, {@code queue.shards}: queues per language,
   * default 1, the same on every coordinator and worker).
   */
  public static QueueOptions queueOptions(Settings settings) {
    return QueueOptions.builder()
        .keyPrefix(settings.get("queue.prefix", "polyrun"))
        .jobTtl(settings.getDuration("queue.job-ttl", Duration.ofHours(1)))
        .lease(settings.getDuration("queue.lease", Duration.ofSeconds(30)))
        .maxDeliveries(settings.getInt("queue.max-deliveries", 3, 1, 100))
        .queuedTtl(settings.getDuration("queue.queued-ttl", Duration.ofHours(24)))
        .shards(settings.getInt("queue.shards", 1, 1, 64))
        .build();
  }
}
