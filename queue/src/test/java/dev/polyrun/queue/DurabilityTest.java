package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.queue.DurabilityCheck.Outcome;
import dev.polyrun.queue.internal.RedisClients;
import dev.polyrun.queue.testing.TestRedis;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * What a Submit waits for before it answers, and the check of Redis's configuration against the
 * promise; admission's queue age measured by Redis's clock alone. Each test starts its own
 * redis-servers (a primary, a replica, one that fsyncs every write).
 */
class DurabilityTest {

  private static RedisQueue queue(TestRedis redis, Durability durability) {
    return RedisQueue.connect(
        redis.settings(),
        QueueOptions.builder().durability(durability).build(),
        Duration.ofSeconds(1));
  }

  private static void awaitReplicaLinked(TestRedis replica) throws InterruptedException {
    try (RedisClient client = RedisClient.create(replica.host(), replica.port())) {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!client.info("replication").contains("master_link_status:up")) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the replica did not link up: " + client.info("replication"));
        }
        Thread.sleep(50);
      }
    }
  }

  @Test
  void aSubmitThatNoReplicaAcknowledgesFailsUnavailableAndTheJobStaysStored() {
    try (TestRedis primary = TestRedis.startLocalOnFreePort();
        RedisQueue queue = queue(primary, Durability.replicas(1, Duration.ofMillis(200)))) {

      assertThatThrownBy(() -> queue.submit(RealRedisTest.python("print(1)")))
          .isInstanceOfSatisfying(
              NotReplicatedException.class,
              e -> {
                assertThat(e).isInstanceOf(QueueUnavailableException.class);
                assertThat(e.getMessage()).contains("0 of 1 replicas");
                assertThat(queue.getJob(e.jobId())).as("stored nonetheless").isPresent();
              });
      assertThat(queue.checkDurability().outcome()).isEqualTo(Outcome.FALLS_SHORT);
    }
  }

  @Test
  void aSubmitWaitingForAReplicaAnswersOnceTheReplicaHoldsTheJob() throws Exception {
    try (TestRedis primary = TestRedis.startLocalOnFreePort();
        TestRedis replica = primary.startReplica();
        RedisQueue queue = queue(primary, Durability.replicas(1, Duration.ofSeconds(5)))) {
      awaitReplicaLinked(replica);
      assertThat(queue.checkDurability().outcome()).isEqualTo(Outcome.HOLDS);

      String id = queue.submit(RealRedisTest.python("print(1)"));

      try (RedisClient onReplica = RedisClient.create(replica.host(), replica.port())) {
        assertThat(onReplica.hget(new dev.polyrun.queue.internal.Keys("polyrun").job(id), "state"))
            .isEqualTo("QUEUED");
      }
    }
  }

  @Test
  void theFsyncPromiseHoldsOnlyWhenRedisFsyncsEveryWrite() {
    try (TestRedis everySecond = TestRedis.startLocalOnFreePort();
        TestRedis always = TestRedis.startLocalOnFreePort("--appendfsync", "always");
        RedisQueue lax = queue(everySecond, Durability.fsync());
        RedisQueue strict = queue(always, Durability.fsync())) {

      DurabilityCheck refused = lax.checkDurability();
      assertThat(refused.outcome()).isEqualTo(Outcome.FALLS_SHORT);
      assertThat(refused.detail()).contains("appendfsync is everysec").contains("expected");
      assertThat(strict.checkDurability().outcome()).isEqualTo(Outcome.HOLDS);
    }
  }

  @Test
  void aRedisThatHidesItsConfigurationCannotBeJudged() {
    try (TestRedis hidden = TestRedis.startLocalOnFreePort("--rename-command", "CONFIG", "");
        RedisQueue queue = queue(hidden, Durability.fsync())) {
      assertThat(queue.checkDurability().outcome()).isEqualTo(Outcome.UNKNOWN);
    }
  }

  @Test
  void theDurabilityIsParsedFromItsThreeForms() {
    assertThat(Durability.parse("memory", Durability.DEFAULT_TIMEOUT))
        .isEqualTo(Durability.memory());
    assertThat(Durability.parse(" FSYNC ", Durability.DEFAULT_TIMEOUT))
        .isEqualTo(Durability.fsync());
    assertThat(Durability.parse("replica:2", Duration.ofMillis(300)))
        .isEqualTo(Durability.replicas(2, Duration.ofMillis(300)));
    assertThatThrownBy(() -> Durability.parse("disk", Durability.DEFAULT_TIMEOUT))
        .hasMessageContaining("'disk'")
        .hasMessageContaining("expected: memory, fsync, or replica:N");
    assertThatThrownBy(() -> Durability.parse("replica:0", Durability.DEFAULT_TIMEOUT))
        .hasMessageContaining("replicas: 0");
  }

  @Test
  void theQueueAgeIsMeasuredByRedisClockWhateverTheCoordinatorsClockSays() {
    try (TestRedis redis = TestRedis.startLocalOnFreePort();
        RedisQueue workers =
            RedisQueue.connect(redis.settings(), QueueOptions.defaults(), Duration.ZERO);
        RedisAdmission admission =
            RedisAdmission.connect(redis.settings(), QueueOptions.defaults())) {
      // a coordinator whose clock is an hour behind Redis's
      Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
      try (RedisQueue skewed =
          new RedisQueue(
              RedisClients.create(redis.settings(), Duration.ZERO),
              redis.settings(),
              QueueOptions.defaults(),
              behind)) {
        skewed.submit(RealRedisTest.python("print(1)"));
        skewed.submit(RealRedisTest.python("print(2)"), "acme");
        skewed.submit(RealRedisTest.python("print(3)"), "acme");
      }

      QueueLoad load = admission.load(10);

      assertThat(load.waiting()).as("one in the stream, two in a backlog").isEqualTo(3);
      assertThat(load.oldestWaitingAge()).isLessThan(Duration.ofMinutes(1));
    }
  }
}
