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
import redis.clients.jedis.exceptions.JedisException;
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
      case STANDALONE ->
          RedisClient.builder()
              .hostAndPort(new HostAndPort(settings.host(), settings.port()))
              .clientConfig(config)
              .poolConfig(pool)
              .build();
      case SENTINEL -> sentinel(settings, config, pool);
      case CLUSTER -> cluster(settings, config, pool);
    };
  }

  /** Jedis reads the cluster's slots from a seed node as it is built. */
  private static UnifiedJedis cluster(
      RedisSettings settings, JedisClientConfig config, ConnectionPoolConfig pool) {
    try {
      return RedisClusterClient.builder()
          .nodes(nodes(settings))
          .clientConfig(config)
          .poolConfig(pool)
          // a failover takes a few seconds: retry a command on the new master for up to 15 s
          .maxAttempts(10)
          .maxTotalRetriesDuration(Duration.ofSeconds(15))
          .build();
    } catch (JedisException e) {
      throw RedisCalls.whileBuilding(e, settings, "no seed node gave the cluster's slots");
    }
  }

  /**
   * Jedis asks the sentinels for the master as it is built; when none answers (down, or refusing
   * the sentinel credentials: Jedis logs each one's reply) that is an unavailable Redis.
   */
  private static UnifiedJedis sentinel(
      RedisSettings settings, JedisClientConfig config, ConnectionPoolConfig pool) {
    try {
      return RedisSentinelClient.builder()
          .masterName(settings.masterName())
          .sentinels(nodes(settings))
          .clientConfig(config)
          .sentinelClientConfig(sentinelConfig(settings))
          .poolConfig(pool)
          .build();
    } catch (JedisException e) {
      // the sentinels' replies (a refused password among them) are in Jedis's log, one warning each
      throw RedisCalls.whileBuilding(
          e,
          settings,
          "no sentinel named the master (are they up, and do"
              + " redis.sentinel-user and redis.sentinel-password match theirs?)");
    }
  }

  /**
   * One connection of its own to a standalone Redis, outside any pool, for a reader that blocks on
   * it for up to {@code maxBlock} at a time, named {@code name} in {@code CLIENT LIST}. It connects
   * on its first command.
   */
  public static Jedis dedicated(RedisSettings settings, Duration maxBlock, String name) {
    if (settings.topology() != RedisSettings.Topology.STANDALONE) {
      throw new IllegalArgumentException(
          "a dedicated connection needs one server (topology: "
              + settings.topology()
              + ", expected: STANDALONE)");
    }
    return new Jedis(
        new HostAndPort(settings.host(), settings.port()), clientConfig(settings, maxBlock, name));
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

  private static JedisClientConfig clientConfig(
      RedisSettings settings, Duration maxBlock, String name) {
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) settings.connectTimeout().toMillis())
            .socketTimeoutMillis((int) settings.socketTimeout().toMillis())
            .blockingSocketTimeoutMillis(
                (int) (settings.socketTimeout().toMillis() + maxBlock.toMillis()))
            .protocol(
                RedisProtocol.RESP2); // one protocol for every client: no negotiation round trip
    tls(config, settings);
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

  /**
   * Sentinels are reached with TLS when Redis is (trusting the same authorities), and with
   * credentials of their own: a sentinel's {@code requirepass} is rarely the master's ACL user.
   */
  private static JedisClientConfig sentinelConfig(RedisSettings settings) {
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) settings.connectTimeout().toMillis())
            .socketTimeoutMillis((int) settings.socketTimeout().toMillis());
    tls(config, settings);
    if (settings.sentinelUser() != null) {
      config.user(settings.sentinelUser());
    }
    if (settings.sentinelPassword() != null) {
      config.password(settings.sentinelPassword());
    }
    return config.build();
  }

  /**
   * TLS when the address asks for it. Jedis verifies that the certificate names the host it
   * connects to (HTTPS-style endpoint identification) whenever no SSL parameters are given.
   */
  private static void tls(DefaultJedisClientConfig.Builder config, RedisSettings settings) {
    config.ssl(settings.tls());
    if (settings.tls() && settings.trustedCa() != null) {
      config.sslSocketFactory(PemTrust.socketFactory(settings.trustedCa()));
    }
  }
}
