package dev.polyrun.queue.internal;

import dev.polyrun.queue.RedisSettings;
import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/** Builds pooled Jedis clients with polyrun's timeouts. */
public final class RedisClients {
  private static final int MAX_CONNECTIONS = 256;

  private RedisClients() {}

  /**
   * A pooled client whose blocking commands time out {@code socketTimeout} after their longest
   * BLOCK time, so a half-open connection is noticed instead of waiting forever.
   */
  public static RedisClient create(RedisSettings settings, Duration maxBlock) {
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) settings.connectTimeout().toMillis())
            .socketTimeoutMillis((int) settings.socketTimeout().toMillis())
            .blockingSocketTimeoutMillis(
                (int) (settings.socketTimeout().toMillis() + maxBlock.toMillis()));
    if (settings.user() != null) {
      config.user(settings.user());
    }
    if (settings.password() != null) {
      config.password(settings.password());
    }
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(MAX_CONNECTIONS);
    pool.setMaxIdle(32);
    pool.setTestWhileIdle(true);
    pool.setMaxWait(settings.connectTimeout());
    return RedisClient.builder()
        .hostAndPort(new HostAndPort(settings.host(), settings.port()))
        .clientConfig(config.build())
        .poolConfig(pool)
        .build();
  }
}
