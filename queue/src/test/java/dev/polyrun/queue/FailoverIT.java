package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.queue.internal.Keys;
import dev.polyrun.queue.testing.TestRedis;
import dev.polyrun.queue.testing.TestRedisCluster;
import dev.polyrun.queue.testing.TestSentinel;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Failover under load: a submitter and two workers run while the master holding the queue is killed
 * (Sentinel: the master; Cluster: the master of the queue's slot), and the node comes back as a
 * replica. With {@code replica:1} durability no acknowledged Submit is lost; without it the figures
 * are printed ({@code failover ...} lines) for the README.
 */
class FailoverIT {
  private static final Duration LOAD_BEFORE = Duration.ofSeconds(3);
  private static final Duration LOAD_AFTER = Duration.ofSeconds(6);
  private static final Duration DRAIN = Duration.ofSeconds(60);

  private static QueueOptions options(Durability durability) {
    // a short lease: jobs whose worker lost its delivery in the failover come back soon
    return QueueOptions.builder().lease(Duration.ofSeconds(2)).durability(durability).build();
  }

  @Test
  void aClusterMasterKilledUnderLoadLosesNoReplicatedSubmit() throws Exception {
    FailoverLoad.Counts counts = onCluster(Durability.replicas(1, Duration.ofSeconds(1)));

    assertThat(counts.acknowledged()).isPositive();
    assertThat(counts.lost()).as("acknowledged jobs lost: %s", counts).isZero();
  }

  @Test
  void aClusterMasterKilledUnderLoadWithoutWaitingForReplicasIsMeasured() throws Exception {
    FailoverLoad.Counts counts = onCluster(Durability.memory());

    assertThat(counts.acknowledged()).isPositive();
    // a result whose reply the failover cut is in the records, not in the workers' count
    assertThat(counts.completions() + counts.endedUnseen())
        .isGreaterThanOrEqualTo(counts.acknowledged() - counts.lost());
  }

  @Test
  void aSentinelMasterKilledUnderLoadLosesNoReplicatedSubmit() throws Exception {
    FailoverLoad.Counts counts = onSentinel(Durability.replicas(1, Duration.ofSeconds(1)));

    assertThat(counts.acknowledged()).isPositive();
    assertThat(counts.lost()).as("acknowledged jobs lost: %s", counts).isZero();
  }

  @Test
  void aSentinelMasterKilledUnderLoadWithoutWaitingForReplicasIsMeasured() throws Exception {
    FailoverLoad.Counts counts = onSentinel(Durability.memory());

    assertThat(counts.acknowledged()).isPositive();
    // a result whose reply the failover cut is in the records, not in the workers' count
    assertThat(counts.completions() + counts.endedUnseen())
        .isGreaterThanOrEqualTo(counts.acknowledged() - counts.lost());
  }

  private static FailoverLoad.Counts onCluster(Durability durability) throws Exception {
    try (TestRedisCluster cluster = TestRedisCluster.start(3, 1);
        RedisQueue queue =
            RedisQueue.connect(cluster.settings(), options(durability), Duration.ofSeconds(2));
        FailoverLoad load = new FailoverLoad(queue)) {
      Thread.sleep(LOAD_BEFORE.toMillis());
      TestRedis master = masterOf(cluster, new Keys("polyrun").jobs("python"));
      master.kill();
      Thread.sleep(LOAD_AFTER.toMillis());
      master.restart(); // it rejoins as a replica of the node that took its slots
      FailoverLoad.Counts counts = load.finish(DRAIN);
      System.out.println("failover cluster " + durability + ": " + counts);
      return counts;
    }
  }

  private static FailoverLoad.Counts onSentinel(Durability durability) throws Exception {
    try (TestSentinel sentinel = TestSentinel.start();
        RedisQueue queue =
            RedisQueue.connect(sentinel.settings(), options(durability), Duration.ofSeconds(2));
        FailoverLoad load = new FailoverLoad(queue)) {
      Thread.sleep(LOAD_BEFORE.toMillis());
      sentinel.master().kill();
      Thread.sleep(LOAD_AFTER.toMillis());
      sentinel.master().restart(); // the sentinels make it a replica of the promoted one
      FailoverLoad.Counts counts = load.finish(DRAIN);
      System.out.println(
          "failover sentinel "
              + durability
              + ": "
              + counts
              + " (master now "
              + sentinel.currentMaster()
              + ")");
      return counts;
    }
  }

  /** The master that serves the key's slot, by CLUSTER NODES. */
  private static TestRedis masterOf(TestRedisCluster cluster, String key) {
    int slot = JedisClusterCRC16.getSlot(key);
    TestRedis any = cluster.masters().get(0);
    String nodes;
    try (Jedis jedis = new Jedis(any.host(), any.port())) {
      nodes = jedis.clusterNodes();
    }
    for (String line : nodes.split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
        continue;
      }
      for (int i = 8; i < f.length; i++) {
        String[] range = f[i].split("-");
        if (range[0].startsWith("[")) {
          continue; // a slot being migrated
        }
        int from = Integer.parseInt(range[0]);
        int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
        if (slot >= from && slot <= to) {
          int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
          return cluster.nodes().stream().filter(n -> n.port() == port).findFirst().orElseThrow();
        }
      }
    }
    throw new IllegalStateException("no master serves slot " + slot + ": " + nodes);
  }
}
