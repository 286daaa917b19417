package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.SubmitRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue's load as admission control reads it, against a real Redis. */
class RedisAdmissionTest extends RealRedisTest {
  private RedisQueue queue;
  private RedisAdmission admission;

  @BeforeEach
  void fresh() {
    queue = freshQueue(QueueOptions.defaults());
    admission = RedisAdmission.connect(server.settings(), QueueOptions.defaults());
  }

  @AfterEach
  void close() {
    admission.close();
    queue.close();
  }

  private static SubmitRequest hello() {
    return python("print(1)");
  }

  @Test
  void loadCountsWaitingJobsAndTheOldestOnesAge() throws InterruptedException {
    assertThat(admission.load(10)).isEqualTo(new QueueLoad(0, 0, Duration.ZERO));
    queue.submit(hello());
    Thread.sleep(120);
    queue.submit(hello());

    QueueLoad load = admission.load(10);

    assertThat(load.waiting()).isEqualTo(2);
    assertThat(load.pending()).isZero();
    assertThat(load.oldestWaitingAge()).isBetween(Duration.ofMillis(100), Duration.ofSeconds(5));
  }

  @Test
  void aJobTakenByAWorkerNoLongerWaits() {
    queue.submit(hello());
    assertThat(queue.take("w1", Duration.ofMillis(100))).isPresent();

    QueueLoad load = admission.load(10);

    assertThat(load.waiting()).isZero();
    assertThat(load.pending()).isEqualTo(1);
    assertThat(load.oldestWaitingAge()).isZero();
  }
}
