package dev.polyrun.queue.internal;

import dev.polyrun.queue.Durability;
import dev.polyrun.queue.DurabilityCheck;
import dev.polyrun.queue.DurabilityCheck.Outcome;
import dev.polyrun.queue.RedisSettings;
import java.util.Map;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Reads Redis's persistence and replication settings and compares them with a {@link Durability}.
 */
public final class DurabilityProbe {
  private DurabilityProbe() {}

  /**
   * On a cluster: every master is checked on a connection of its own (CONFIG and INFO describe one
   * server); the worst outcome wins and the message names each master.
   */
  public static DurabilityCheck checkCluster(
      RedisClusterClient cluster, RedisSettings settings, Durability wanted) {
    DurabilityCheck.Outcome worst = DurabilityCheck.Outcome.HOLDS;
    java.util.List<String> said = new java.util.ArrayList<>();
    for (String node : new java.util.TreeSet<>(cluster.getClusterNodes().keySet())) {
      try (UnifiedJedis one = RedisClients.create(settings.node(node), java.time.Duration.ZERO)) {
        if (!RedisCalls.call(() -> one.info("replication")).contains("role:master")) {
          continue;
        }
        DurabilityCheck check = check(one, wanted);
        said.add(node + ": " + check.detail());
        if (check.outcome().compareTo(worst) > 0) {
          worst = check.outcome();
        }
      }
    }
    return new DurabilityCheck(worst, String.join("; ", said));
  }

  /** Blocks on Redis; throws what {@link RedisCalls#call} throws when Redis is unreachable. */
  public static DurabilityCheck check(UnifiedJedis redis, Durability wanted) {
    return switch (wanted.kind()) {
      case MEMORY -> memory(redis);
      case FSYNC -> fsync(redis);
      case REPLICAS -> replicas(redis, wanted.replicas());
    };
  }

  private static DurabilityCheck memory(UnifiedJedis redis) {
    Map<String, String> config = config(redis);
    if (config == null) {
      return new DurabilityCheck(
          Outcome.UNKNOWN, "Redis does not allow CONFIG GET; its persistence is unknown");
    }
    if (!"yes".equals(config.get("appendonly"))) {
      return new DurabilityCheck(
          Outcome.FALLS_SHORT,
          "appendonly is "
              + config.get("appendonly")
              + ": a restart of Redis loses every job it holds (expected: appendonly yes)");
    }
    return new DurabilityCheck(
        Outcome.HOLDS,
        "appendonly yes, appendfsync "
            + config.get("appendfsync")
            + ": a crash of Redis may lose what it acknowledged in its last second or two");
  }

  private static DurabilityCheck fsync(UnifiedJedis redis) {
    Map<String, String> config = config(redis);
    if (config == null) {
      return new DurabilityCheck(
          Outcome.UNKNOWN,
          "Redis does not allow CONFIG GET; cannot tell whether it runs with appendfsync always");
    }
    String appendonly = config.get("appendonly");
    String appendfsync = config.get("appendfsync");
    if (!"yes".equals(appendonly) || !"always".equals(appendfsync)) {
      return new DurabilityCheck(
          Outcome.FALLS_SHORT,
          "appendonly is "
              + appendonly
              + " and appendfsync is "
              + appendfsync
              + " (expected: appendonly yes and appendfsync always)");
    }
    return new DurabilityCheck(Outcome.HOLDS, "appendonly yes, appendfsync always");
  }

  private static DurabilityCheck replicas(UnifiedJedis redis, int wanted) {
    String info = RedisCalls.call(() -> redis.info("replication"));
    int connected = 0;
    String role = "unknown";
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("connected_slaves:")) {
        connected = Integer.parseInt(line.substring("connected_slaves:".length()).strip());
      } else if (line.startsWith("role:")) {
        role = line.substring("role:".length()).strip();
      }
    }
    if (!"master".equals(role)) {
      return new DurabilityCheck(
          Outcome.FALLS_SHORT, "Redis's role is " + role + " (expected: master)");
    }
    if (connected < wanted) {
      return new DurabilityCheck(
          Outcome.FALLS_SHORT,
          connected
              + " replica(s) connected (expected: at least "
              + wanted
              + "); Submit fails with UNAVAILABLE until enough are");
    }
    return new DurabilityCheck(Outcome.HOLDS, connected + " replica(s) connected");
  }

  /** appendonly and appendfsync, or null when CONFIG is not allowed. */
  private static Map<String, String> config(UnifiedJedis redis) {
    try {
      return RedisCalls.call(() -> redis.configGet("appendonly", "appendfsync"));
    } catch (JedisDataException e) {
      return null;
    }
  }
}
