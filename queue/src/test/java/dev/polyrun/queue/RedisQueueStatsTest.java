package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.SubmitRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

class RedisQueueStatsTest extends RealRedisTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  private RedisQueueStats stats(Instant now, int sampleLimit) {
    RedisQueueStats stats =
        new RedisQueueStats(
            RedisClient.create(server.host(), server.port()),
            QueueOptions.defaults(),
            Clock.fixed(now, ZoneOffset.UTC),
            sampleLimit);
    return stats;
  }

  private static SubmitRequest in(String language) {
    return python("print(1)").toBuilder().setLanguage(language).build();
  }

  private RedisQueue queueAt(Instant now) {
    freshQueue(QueueOptions.defaults()).close();
    return new RedisQueue(
        redis.clients.jedis.RedisClient.create(server.host(), server.port()),
        server.settings(),
        QueueOptions.defaults(),
        Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void countsWaitingJobsAndTheOldestWaitPerLanguage() {
    try (RedisQueue queue = queueAt(T0)) {
      queue.submit(in("python"), "a");
      queue.submit(in("python"), "a");
      queue.submit(in("c"), "b");
      try (RedisQueue later =
              new RedisQueue(
                  RedisClient.create(server.host(), server.port()),
                  server.settings(),
                  QueueOptions.defaults(),
                  Clock.fixed(T0.plusSeconds(20), ZoneOffset.UTC));
          RedisQueueStats stats = stats(T0.plusSeconds(30), 100)) {
        later.submit(in("c"), "b");

        QueueSnapshot s = stats.read();

        assertThat(s.waiting()).isEqualTo(4);
        assertThat(s.sampled()).isFalse();
        assertThat(s.languages().get("python").waiting()).isEqualTo(2);
        assertThat(s.languages().get("python").oldestWaiting()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.languages().get("c").waiting()).isEqualTo(2);
        assertThat(s.languages().get("c").oldestWaiting()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.oldestWaiting()).isEqualTo(Duration.ofSeconds(30));
      }
    }
  }

  @Test
  void aSampleOfWaitingJobsIsScaledToTheWholeBacklog() {
    try (RedisQueue queue = queueAt(T0);
        RedisQueueStats stats = stats(T0.plusSeconds(5), 4)) {
      for (int i = 0; i < 10; i++) {
        queue.submit(in("python"), "t" + (i % 2));
      }

      QueueSnapshot s = stats.read();

      assertThat(s.waiting()).isEqualTo(10);
      assertThat(s.sampled()).isTrue();
      assertThat(s.languages().get("python").waiting()).isEqualTo(10);
      assertThat(s.languages().get("python").oldestWaiting()).isEqualTo(Duration.ofSeconds(5));
    }
  }

  @Test
  void slotsOfLiveWorkersCountForEachOfTheirLanguages() {
    try (RedisQueue queue = queueAt(T0);
        RedisQueueStats stats = stats(T0.plusSeconds(2), 100)) {
      queue.submit(in("python"), "a");
      queue.submit(in("python"), "a");
      assertThat(queue.take("w1", Duration.ofMillis(50))).isPresent();
      assertThat(queue.take("w2", Duration.ofMillis(50))).isPresent();
      queue.submit(in("python"), "a");
      queue.heartbeat("w1", 4, List.of("x"), Duration.ofMinutes(1), List.of("python", "c"));
      queue.heartbeat("w2", 2, List.of("y"), Duration.ofMinutes(1), List.of("python"));

      QueueSnapshot s = stats.read();

      assertThat(s.workers())
          .extracting(QueueSnapshot.WorkerBeat::id)
          .containsExactlyInAnyOrder("w1", "w2");
      assertThat(s.inFlight()).isEqualTo(2);
      QueueSnapshot.Backlog python = s.languages().get("python");
      assertThat(python.slots()).isEqualTo(6);
      assertThat(python.busySlots()).isEqualTo(2);
      assertThat(python.waiting()).isEqualTo(1);
      assertThat(python.perSlot()).isEqualTo(1.0 / 6);
      assertThat(s.languages().get("c").slots()).isEqualTo(4);
      assertThat(s.languages().get("c").waiting()).isZero();
    }
  }

  @Test
  void readsRedisMemoryAndClients() {
    freshQueue(QueueOptions.defaults());
    try (RedisQueueStats stats = stats(T0, 10)) {
      QueueSnapshot.RedisInfo info = stats.read().redis();

      assertThat(info.usedMemoryBytes()).isPositive();
      assertThat(info.connectedClients()).isPositive();
    }
  }

  @Test
  void theTraceParentOfASubmissionIsStoredAndItsTraceIdReturned() {
    RedisQueue queue = freshQueue(QueueOptions.defaults());
    String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    String id = queue.submit(python("print(1)"), "", parent);

    assertThat(queue.getJob(id).orElseThrow().getTraceId())
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(queue.origin(id).traceParent()).isEqualTo(parent);
    assertThat(queue.origin(id).createdAtMs()).isPositive();
    assertThat(queue.getJob(queue.submit(python("print(2)"))).orElseThrow().getTraceId()).isEmpty();
  }
}
