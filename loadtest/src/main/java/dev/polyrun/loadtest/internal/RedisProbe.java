package dev.polyrun.loadtest.internal;

import dev.polyrun.loadtest.ClusterDescription;
import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Read-only figures of the cluster's Redis: memory, key count and clients (INFO, DBSIZE, CLIENT
 * LIST), with the cluster's password. One short connection per reading, which counts itself among
 * the clients. Never writes.
 */
public final class RedisProbe {
  private final ClusterDescription.Redis redis;

  public RedisProbe(ClusterDescription.Redis redis) {
    this.redis = redis;
  }

  /**
   * {@code redis.used_memory_mb}, {@code redis.keys}, {@code redis.clients}; empty when Redis does
   * not answer.
   */
  public Map<String, Double> figures() {
    Map<String, Double> values = new LinkedHashMap<>();
    try (Jedis jedis = connect()) {
      values.put(
          "redis.used_memory_mb", field(jedis.info("memory"), "used_memory") / (1024.0 * 1024.0));
      values.put("redis.keys", (double) jedis.dbSize());
      values.put("redis.clients", field(jedis.info("clients"), "connected_clients"));
    } catch (JedisException e) {
      // Redis restarting or gone: the sample leaves these figures out.
    }
    return values;
  }

  /**
   * Connections of clients other than this probe (CLIENT LIST), or -1 when Redis does not answer.
   */
  public int otherClients() {
    try (Jedis jedis = connect()) {
      String list = jedis.clientList();
      return (int) list.lines().filter(l -> !l.isBlank()).count() - 1;
    } catch (JedisException e) {
      return -1;
    }
  }

  private Jedis connect() {
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(2000)
            .socketTimeoutMillis(2000)
            .clientName("polyrun-loadtest")
            .protocol(RedisProtocol.RESP2);
    redis.password().ifPresent(config::password);
    return new Jedis(new HostAndPort(redis.host(), redis.port()), config.build());
  }

  private static double field(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    return Double.NaN;
  }
}
