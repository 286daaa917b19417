package dev.polyrun.queue.internal;

import dev.polyrun.queue.ConnectionStats;
import dev.polyrun.queue.RedisSettings;
import java.time.Duration;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.util.Pool;

/** Builds Jedis clients with polyrun's timeouts: pooled ones, and single connections of their own. */
public final class RedisClients {
  private RedisClients() {}

  /**
   * A pooled client of at most {@link RedisSettings#maxConnections()} connections whose blocking
   * commands time out {@code socketTimeout} after their longest BLOCK time, so a half-open
   * connection is noticed instead of waiting forever. A command waits up to
   * {@link RedisSettings#poolWait()} for a free connection.
   */
  public static RedisClient create(RedisSettings settings, Duration maxBlock) {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(settings.maxConnections());
    pool.setMaxIdle(Math.min(32, settings.maxConnections()));
    pool.setTestWhileIdle(true);
    pool.setMaxWait(settings.poolWait());
    return RedisClient.builder()
        .hostAndPort(new HostAndPort(settings.host(), settings.port()))
        .clientConfig(clientConfig(settings, maxBlock))
        .poolConfig(pool)
        .build();
  }

  /**
   * One connection of its own, outside any pool, for a reader that blocks on it for up to
   * {@code maxBlock} at a time, named {@code name} in {@code CLIENT LIST}. It connects on its first
   * command.
   */
  public static Jedis dedicated(RedisSettings settings, Duration maxBlock, String name) {
    JedisClientConfig base = clientConfig(settings, maxBlock);
    JedisClientConfig named = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(base.getConnectionTimeoutMillis())
        .socketTimeoutMillis(base.getSocketTimeoutMillis())
        .blockingSocketTimeoutMillis(base.getBlockingSocketTimeoutMillis())
        .user(settings.user())
        .password(settings.password())
        .clientName(name)
        .protocol(RedisProtocol.RESP2) // as the pooled client speaks; no negotiation round trip
        .build();
    return new Jedis(new HostAndPort(settings.host(), settings.port()), named);
  }

  /** The pool's figures now. */
  public static ConnectionStats stats(RedisClient client, int max) {
    Pool<Connection> pool = client.getPool();
    return new ConnectionStats(pool.getNumActive(), pool.getNumIdle(), pool.getNumWaiters(), max);
  }

  private static JedisClientConfig clientConfig(RedisSettings settings, Duration maxBlock) {
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
    return config.build();
  }
}
