package dev.polyrun.queue.internal;

import dev.polyrun.queue.ConnectionStats;
import dev.polyrun.queue.RedisSettings;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.Pool;

/**
 * Builds Jedis clients with polyrun's timeouts: pooled ones (one server, a Sentinel-watched master
 * or a cluster, all {@link UnifiedJedis}), and single connections of their own.
 */
public final class RedisClients {
  private RedisClients() {}

  /**
   * A pooled client of at most {@link RedisSettings#maxConnections()} connections (per node on a
   * cluster) whose blocking commands time out {@code socketTimeout} after their longest BLOCK time,
   * so a half-open connection is noticed instead of waiting forever. A command waits up to {@link
   * RedisSettings#poolWait()} for a free connection.
   */
  public static UnifiedJedis create(RedisSettings settings, Duration maxBlock) {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(settings.maxConnections());
    pool.setMaxIdle(Math.min(32, settings.maxConnections()));
    pool.setTestWhileIdle(true);
    pool.setMaxWait(settings.poolWait());
    JedisClientConfig config = clientConfig(settings, maxBlock, null);
    return switch (settings.topology()) {
      case STANDALONE -> RedisClient.builder()
          .hostAndPort(new HostAndPort(settings.host(), settings.port()))
          .clientConfig(config)
          .poolConfig(pool)
          .build();
      case SENTINEL -> RedisSentinelClient.builder()
          .masterName(settings.masterName())
          .sentinels(nodes(settings))
          .clientConfig(config)
          .sentinelClientConfig(sentinelConfig(settings))
          .poolConfig(pool)
          .build();
      case CLUSTER -> RedisClusterClient.builder()
          .nodes(nodes(settings))
          .clientConfig(config)
          .poolConfig(pool)
          // a failover takes a few seconds: retry a command on the new master for up to 15 s
          .maxAttempts(10)
          .maxTotalRetriesDuration(Duration.ofSeconds(15))
          .build();
    };
  }

  /**
   * One connection of its own to a standalone Redis, outside any pool, for a reader that blocks on
   * it for up to {@code maxBlock} at a time, named {@code name} in {@code CLIENT LIST}. It connects
   * on its first command.
   */
  public static Jedis dedicated(RedisSettings settings, Duration maxBlock, String name) {
    if (settings.topology() != RedisSettings.Topology.STANDALONE) {
      throw new IllegalArgumentException("a dedicated connection needs one server (topology: "
          + settings.topology() + ", expected: STANDALONE)");
    }
    return new Jedis(new HostAndPort(settings.host(), settings.port()), clientConfig(settings, maxBlock, name));
  }

  /** The pool's figures now (summed over the nodes of a cluster). */
  public static ConnectionStats stats(UnifiedJedis client, int max) {
    if (client instanceof RedisClient single) {
      Pool<Connection> pool = single.getPool();
      return new ConnectionStats(pool.getNumActive(), pool.getNumIdle(), pool.getNumWaiters(), max);
    }
    if (client instanceof RedisClusterClient cluster) {
      int active = 0;
      int idle = 0;
      int waiters = 0;
      for (ConnectionPool pool : cluster.getClusterNodes().values()) {
        active += pool.getNumActive();
        idle += pool.getNumIdle();
        waiters += pool.getNumWaiters();
      }
      return new ConnectionStats(active, idle, waiters, max);
    }
    if (client instanceof RedisSentinelClient sentinel) {
      int active = 0;
      int idle = 0;
      int waiters = 0;
      for (Pool<Connection> pool : sentinel.getPrimaryNodesConnectionMap().values()) {
        active += pool.getNumActive();
        idle += pool.getNumIdle();
        waiters += pool.getNumWaiters();
      }
      return new ConnectionStats(active, idle, waiters, max);
    }
    return new ConnectionStats(0, 0, 0, max);
  }

  private static Set<HostAndPort> nodes(RedisSettings settings) {
    Set<HostAndPort> nodes = new LinkedHashSet<>();
    for (String node : settings.nodes()) {
      nodes.add(HostAndPort.from(node));
    }
    return nodes;
  }

  private static JedisClientConfig clientConfig(RedisSettings settings, Duration maxBlock, String name) {
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) settings.connectTimeout().toMillis())
            .socketTimeoutMillis((int) settings.socketTimeout().toMillis())
            .blockingSocketTimeoutMillis(
                (int) (settings.socketTimeout().toMillis() + maxBlock.toMillis()))
            .protocol(RedisProtocol.RESP2) // one protocol for every client: no negotiation round trip
            .ssl(settings.tls());
    if (settings.user() != null) {
      config.user(settings.user());
    }
    if (settings.password() != null) {
      config.password(settings.password());
    }
    if (name != null) {
      config.clientName(name);
    }
    return config.build();
  }

  /** Sentinels are reached with TLS when Redis is, and without credentials (sentinels rarely have ACLs). */
  private static JedisClientConfig sentinelConfig(RedisSettings settings) {
    return DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis((int) settings.connectTimeout().toMillis())
        .socketTimeoutMillis((int) settings.socketTimeout().toMillis())
        .ssl(settings.tls())
        .build();
  }
}
