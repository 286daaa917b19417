package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.JobState;
import dev.polyrun.queue.testing.TestRedis;
import dev.polyrun.queue.testing.TestRedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Every script and multi-key command of the queue, run against a real Redis Cluster (three masters,
 * a replica each): a key that leaves its slot fails here with CROSSSLOT (from Redis, or from the
 * cluster client before it sends).
 */
class SlotDisciplineIT {
  private static TestRedisCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = TestRedisCluster.start(3, 1);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void aJobsWholeLifeRunsOnAClusterWithoutLeavingItsSlots() throws Exception {
    QueueOptions options = QueueOptions.builder().keyPrefix("slots").shards(2).build();
    QueueWalkthrough.run(cluster.settings(), options);
  }

  @Test
  void aJobWhoseWorkersKeepDyingIsDeadLetteredOnACluster() throws Exception {
    QueueOptions options =
        QueueOptions.builder()
            .keyPrefix("dead")
            .lease(Duration.ofSeconds(1))
            .maxDeliveries(1)
            .build();
    try (RedisQueue queue =
        RedisQueue.connect(cluster.settings(), options, Duration.ofSeconds(2))) {
      String id = queue.submit(QueueWalkthrough.program("python", "while True: pass"), "acme");
      assertThat(queue.take("dies", Duration.ofMillis(200), List.of("python"))).isPresent();
      Thread.sleep(1200); // the lease lapses: the worker is taken for dead

      assertThat(queue.take("next", Duration.ofMillis(200), List.of("python"))).isEmpty();
      assertThat(queue.deadLettered()).isEqualTo(1);
      assertThat(queue.getJob(id).orElseThrow().getResult().getErrorReason())
          .isEqualTo(ErrorReasons.DELIVERY_LIMIT);
    }
  }

  @Test
  void aSubmitWaitsForItsReplicaOnACluster() {
    QueueOptions options =
        QueueOptions.builder()
            .keyPrefix("wait")
            .durability(Durability.replicas(1, Duration.ofSeconds(2)))
            .build();
    try (RedisQueue queue =
        RedisQueue.connect(cluster.settings(), options, Duration.ofSeconds(2))) {
      SubmitOutcome outcome =
          queue.submit(
              QueueWalkthrough.keyed("acme", "w", QueueWalkthrough.program("python", "print(1)")));

      assertThat(outcome).isInstanceOf(SubmitOutcome.Accepted.class);
      DurabilityCheck check = queue.checkDurability();
      assertThat(check.outcome()).isEqualTo(DurabilityCheck.Outcome.HOLDS);
      assertThat(check.detail()).as("each master is named").contains("1 replica(s) connected");
    }
  }

  @Test
  void everyKeyOfAJobOrATenantCarriesAHashTag() {
    QueueOptions options = QueueOptions.builder().keyPrefix("tags").build();
    try (RedisQueue queue =
        RedisQueue.connect(cluster.settings(), options, Duration.ofSeconds(2))) {
      queue.submit(
          QueueWalkthrough.keyed("acme", "t", QueueWalkthrough.program("python", "print(1)")));
      queue.submit(QueueWalkthrough.program("c", "int main(){}"), "acme");
      queue.heartbeat("w9", 1, List.of(), Duration.ofSeconds(15), List.of("c"));
    }
    List<String> untagged = new ArrayList<>();
    for (TestRedis node : cluster.masters()) {
      try (Jedis jedis = new Jedis(node.host(), node.port())) {
        for (String key : jedis.keys("tags:*")) {
          if (!key.contains("{")) {
            untagged.add(key);
          }
        }
      }
    }
    // one-key singletons only: read and written by single commands, never by a script with others
    assertThat(untagged).containsExactlyInAnyOrder("tags:queues", "tags:worker:w9");
  }

  private static void drain(RedisQueue queue) {
    while (true) {
      Optional<Delivery> d = queue.take("w2", Duration.ofMillis(100), List.of("python", "c"));
      if (d.isEmpty()) {
        return;
      }
      queue.complete(d.get(), 1, QueueWalkthrough.ok(), JobState.JOB_STATE_DONE);
      queue.ack(d.get());
    }
  }
}
