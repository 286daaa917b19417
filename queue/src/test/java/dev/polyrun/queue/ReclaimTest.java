package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.Verdict;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leases, reclaim, fencing of stale workers and dead letters, against a real Redis. */
class ReclaimTest extends RealRedisTest {
  private static final Duration LEASE = Duration.ofSeconds(1);
  private RedisQueue queue;

  @BeforeEach
  void freshQueue() {
    queue = freshQueue(QueueOptions.builder().lease(LEASE).maxDeliveries(3).build());
  }

  private String submit() {
    return queue.submit(python("print(1)"));
  }

  private static void sleep(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis());
  }

  @Test
  void aDeliveryWhoseWorkerStoppedRenewingIsTakenOverWithTheNextAttempt() throws Exception {
    String id = submit();
    Delivery first = queue.take("w1", Duration.ofMillis(100)).orElseThrow();
    assertThat(queue.take("w2", Duration.ZERO)).as("within the lease").isEmpty();

    sleep(LEASE.plusMillis(200));
    Delivery second = queue.take("w2", Duration.ZERO).orElseThrow();

    assertThat(second.jobId()).isEqualTo(id);
    assertThat(second.attempt()).isEqualTo(first.attempt() + 1);
    assertThat(second.reclaimed()).isTrue();
    assertThat(second.entryId()).isEqualTo(first.entryId());
  }

  @Test
  void renewingKeepsTheDeliveryWithItsWorker() throws Exception {
    submit();
    Delivery d = queue.take("w1", Duration.ofMillis(100)).orElseThrow();
    for (int i = 0; i < 4; i++) {
      sleep(LEASE.dividedBy(2));
      assertThat(queue.renew(d, "w1")).isTrue();
    }

    assertThat(queue.take("w2", Duration.ZERO)).isEmpty();
  }

  @Test
  void aStaleWorkerThatWakesUpCanNeitherRenewPublishCompleteNorAck() throws Exception {
    String id = submit();
    Delivery stale = queue.take("w1", Duration.ofMillis(100)).orElseThrow();
    sleep(LEASE.plusMillis(200));
    Delivery current = queue.take("w2", Duration.ZERO).orElseThrow();

    assertThat(queue.renew(stale, "w1")).isFalse();
    assertThat(
            queue.publish(
                stale,
                1,
                JobEvent.newBuilder().setStdout(ByteString.copyFromUtf8("stale")).build(),
                JobState.JOB_STATE_RUNNING))
        .isFalse();
    assertThat(
            queue.complete(
                stale,
                1,
                Result.newBuilder().setVerdict(Verdict.VERDICT_INTERNAL_ERROR).build(),
                JobState.JOB_STATE_DONE))
        .isFalse();
    queue.ack(stale);
    assertThat(queue.depth().pending())
        .as("the current attempt's entry stays pending")
        .isEqualTo(1);

    assertThat(
            queue.complete(
                current,
                1,
                Result.newBuilder().setVerdict(Verdict.VERDICT_OK).build(),
                JobState.JOB_STATE_DONE))
        .isTrue();
    queue.ack(current);
    assertThat(queue.getJob(id).orElseThrow().getResult().getVerdict())
        .isEqualTo(Verdict.VERDICT_OK);
    assertThat(queue.readEvents(id, "", Duration.ZERO, 100))
        .noneMatch(e -> e.getStdout().toStringUtf8().equals("stale"));
    assertThat(raw.xlen(keys.jobs("python"))).as("acknowledged entries are deleted").isZero();
  }

  @Test
  void aJobWhoseWorkersKeepDyingEndsInTheDeadLetterStream() throws Exception {
    String id = submit();
    for (int attempt = 1; attempt <= 3; attempt++) {
      Delivery d = queue.take("w" + attempt, Duration.ofMillis(100)).orElseThrow();
      assertThat(d.attempt()).isEqualTo(attempt);
      sleep(LEASE.plusMillis(200));
    }

    assertThat(queue.take("w4", Duration.ZERO)).isEmpty();

    var job = queue.getJob(id).orElseThrow();
    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_DONE);
    assertThat(job.getResult().getVerdict()).isEqualTo(Verdict.VERDICT_INTERNAL_ERROR);
    assertThat(job.getResult().getMessage()).contains("3 times").contains("dead-letter");
    assertThat(raw.xlen(keys.deadLetters("python"))).isEqualTo(1);
    assertThat(queue.deadLettered()).isEqualTo(1);
    assertThat(queue.depth()).isEqualTo(new QueueDepth(0, 0));
    assertThat(queue.readEvents(id, "", Duration.ZERO, 100))
        .last()
        .satisfies(e -> assertThat(e.hasResult()).isTrue());
  }

  @Test
  void aResultStoredBeforeACrashIsAcknowledgedByTheNextTaker() throws Exception {
    String id = submit();
    Delivery d = queue.take("w1", Duration.ofMillis(100)).orElseThrow();
    queue.complete(
        d, 1, Result.newBuilder().setVerdict(Verdict.VERDICT_OK).build(), JobState.JOB_STATE_DONE);
    sleep(LEASE.plusMillis(200));

    assertThat(queue.take("w2", Duration.ZERO)).isEmpty();

    assertThat(queue.depth()).isEqualTo(new QueueDepth(0, 0));
    assertThat(queue.getJob(id).orElseThrow().getAttempt()).isEqualTo(1);
  }

  @Test
  void aReleasedDeliveryIsTakenOverAtOnce() {
    submit();
    Delivery d = queue.take("w1", Duration.ofMillis(100)).orElseThrow();

    queue.release(d, "w1");

    assertThat(queue.take("w2", Duration.ZERO))
        .hasValueSatisfying(next -> assertThat(next.attempt()).isEqualTo(2));
  }

  @Test
  void consumersThatHoldNothingAreRemovedWhenIdleOrStopping() throws Exception {
    submit();
    Delivery held = queue.take("busy", Duration.ofMillis(100)).orElseThrow();
    queue.take("idle", Duration.ofMillis(10));
    queue.take("stopping", Duration.ofMillis(10));
    Thread.sleep(300);

    queue.pruneConsumers(Duration.ofMillis(200), "stopping");

    assertThat(raw.xinfoConsumers(keys.jobs("python"), "workers"))
        .extracting(c -> c.getName())
        .containsExactly("busy");
    assertThat(held.attempt()).isEqualTo(1);
  }

  @Test
  void heartbeatsRecordTheWorkersJobsAndExpire() {
    queue.heartbeat("w1", 2, List.of("a", "b"), Duration.ofSeconds(5));

    assertThat(raw.hget("polyrun:worker:w1", "jobs")).isEqualTo("a,b");
    assertThat(raw.hget("polyrun:worker:w1", "busy")).isEqualTo("2");
    assertThat(raw.pttl("polyrun:worker:w1")).isBetween(4000L, 5000L);
  }
}
