package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The queue's own INTERNAL_ERROR results say why in error_reason, against a real Redis. */
class ErrorReasonsTest extends RealRedisTest {
  private static final Duration LEASE = Duration.ofSeconds(1);

  @Test
  void aJobDeliveredTooOftenEndsWithTheDeliveryLimitReason() throws Exception {
    RedisQueue queue = freshQueue(QueueOptions.builder().lease(LEASE).maxDeliveries(2).build());
    String id = queue.submit(python("print(1)"));
    for (int attempt = 1; attempt <= 2; attempt++) {
      assertThat(queue.take("w" + attempt, Duration.ofMillis(100))).isPresent();
      Thread.sleep(LEASE.plusMillis(200).toMillis());
    }

    assertThat(queue.take("w3", Duration.ZERO)).isEmpty();

    var result = queue.getJob(id).orElseThrow().getResult();
    assertThat(result.getVerdict()).isEqualTo(Verdict.VERDICT_INTERNAL_ERROR);
    assertThat(result.getErrorReason()).isEqualTo("DELIVERY_LIMIT");
  }

  @Test
  void aJobWhoseStoredSpecCannotBeReadEndsAtOnceWithTheInvalidJobReason() {
    RedisQueue queue = freshQueue(QueueOptions.defaults());
    String id = queue.submit(python("print(1)"));
    raw.hset(keys.job(id), "spec", "\u00ff\u00ff not a request");

    assertThat(queue.take("w1", Duration.ofMillis(100))).isEmpty();

    var job = queue.getJob(id).orElseThrow();
    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_DONE);
    assertThat(job.getResult().getErrorReason()).isEqualTo("INVALID_JOB");
    assertThat(job.getResult().getMessage()).startsWith("the stored job could not be read");
    assertThat(queue.depth()).as("its entry is acknowledged").isEqualTo(new QueueDepth(0, 0));
  }
}
