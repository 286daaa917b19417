package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.AttemptAbandoned;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.StateChange;
import dev.polyrun.proto.v1.Verdict;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes a worker repeats after an ambiguous failure land once; a take-over tells the stream that
 * the attempt before is void. Against a real Redis.
 */
class ExactlyOnceWritesTest extends RealRedisTest {
  private static final Duration LEASE = Duration.ofSeconds(1);
  private RedisQueue queue;

  @BeforeEach
  void freshQueue() {
    queue = freshQueue(QueueOptions.builder().lease(LEASE).build());
  }

  private static JobEvent stdout(String text) {
    return JobEvent.newBuilder().setStdout(ByteString.copyFromUtf8(text)).build();
  }

  private static JobEvent running() {
    return JobEvent.newBuilder()
        .setState(StateChange.newBuilder().setState(JobState.JOB_STATE_RUNNING))
        .build();
  }

  private static Result ok(String stdout) {
    return Result.newBuilder()
        .setVerdict(Verdict.VERDICT_OK)
        .setStdout(ByteString.copyFromUtf8(stdout))
        .build();
  }

  private List<JobEvent> events(String id) {
    return queue.readEvents(id, "", Duration.ZERO, 1000);
  }

  private Delivery takeOverAfterTheLease() throws InterruptedException {
    Thread.sleep(LEASE.toMillis() + 200);
    return queue.take("w2", Duration.ZERO).orElseThrow();
  }

  @Test
  void theSamePublishRepeatedLeavesOneEvent() {
    String id = queue.submit(python("print('begin')"));
    Delivery d = queue.take("w1", Duration.ofMillis(100)).orElseThrow();

    assertThat(queue.publish(d, 1, JobEvent.getDefaultInstance(), JobState.JOB_STATE_RUNNING))
        .isTrue();
    assertThat(queue.publish(d, 2, stdout("begin\n"), null)).isTrue();
    assertThat(queue.publish(d, 2, stdout("begin\n"), null))
        .as("the retry is told it is stored")
        .isTrue();
    assertThat(queue.publish(d, 3, stdout("end\n"), null)).isTrue();
    assertThat(queue.publish(d, 2, stdout("begin\n"), null))
        .as("a late repeat after a newer event")
        .isTrue();

    assertThat(
            events(id).stream().filter(JobEvent::hasStdout).map(e -> e.getStdout().toStringUtf8()))
        .containsExactly("begin\n", "end\n");
  }

  @Test
  void everyEventOfAWorkerCarriesItsAttempt() {
    String id = queue.submit(python("print(1)"));
    Delivery d = queue.take("w1", Duration.ofMillis(100)).orElseThrow();
    queue.publish(d, 1, stdout("1\n"), JobState.JOB_STATE_RUNNING);
    queue.complete(d, 2, ok("1\n"), JobState.JOB_STATE_DONE);

    List<JobEvent> events = events(id);
    assertThat(events.get(0).getAttempt()).as("the coordinator's QUEUED").isZero();
    assertThat(events.subList(1, events.size())).extracting(JobEvent::getAttempt).containsOnly(1);
    assertThat(events).last().satisfies(e -> assertThat(e.getResult().getAttempt()).isEqualTo(1));
  }

  @Test
  void completingTwiceSucceedsBothTimesAndStoresOneResult() {
    String id = queue.submit(python("print(1)"));
    Delivery d = queue.take("w1", Duration.ofMillis(100)).orElseThrow();
    queue.publish(d, 1, stdout("1\n"), JobState.JOB_STATE_RUNNING);

    assertThat(queue.complete(d, 2, ok("1\n"), JobState.JOB_STATE_DONE)).isTrue();
    assertThat(queue.complete(d, 2, ok("1\n"), JobState.JOB_STATE_DONE))
        .as("a retry after a lost reply")
        .isTrue();
    queue.ack(d);

    assertThat(events(id).stream().filter(JobEvent::hasResult)).hasSize(1);
    assertThat(queue.getJob(id).orElseThrow().getState()).isEqualTo(JobState.JOB_STATE_DONE);
    assertThat(queue.depth()).as("acknowledged").isEqualTo(new QueueDepth(0, 0));
  }

  @Test
  void aCompleteOfAJobThatEndedOtherwiseIsStillRefused() {
    String id = queue.submit(python("print(1)"));
    Delivery d = queue.take("w1", Duration.ofMillis(100)).orElseThrow();
    assertThat(queue.cancel(id)).contains(JobState.JOB_STATE_CANCELLED);

    assertThat(queue.complete(d, 1, ok("1\n"), JobState.JOB_STATE_DONE)).isFalse();
    assertThat(queue.getJob(id).orElseThrow().getResult().getVerdict())
        .isEqualTo(Verdict.VERDICT_CANCELLED);
  }

  @Test
  void theRecordKeepsTheOutputAndTheResultEventLeavesItOut() {
    String id = queue.submit(python("print(1)"));
    Delivery d = queue.take("w1", Duration.ofMillis(100)).orElseThrow();
    queue.publish(d, 1, stdout("1\n"), JobState.JOB_STATE_RUNNING);
    queue.complete(
        d,
        2,
        ok("1\n").toBuilder().setStderr(ByteString.copyFromUtf8("warning\n")).build(),
        JobState.JOB_STATE_DONE);

    Result stored = queue.getJob(id).orElseThrow().getResult();
    assertThat(stored.getStdout().toStringUtf8()).isEqualTo("1\n");
    assertThat(stored.getStderr().toStringUtf8()).isEqualTo("warning\n");
    assertThat(stored.getAttempt()).isEqualTo(1);
    assertThat(events(id))
        .last()
        .satisfies(
            e -> {
              assertThat(e.getResult().getVerdict()).isEqualTo(Verdict.VERDICT_OK);
              assertThat(e.getResult().getStdout().isEmpty()).isTrue();
              assertThat(e.getResult().getStderr().isEmpty()).isTrue();
            });
  }

  @Test
  void takingOverAnAttemptThatWroteEventsAppendsAttemptAbandoned() throws Exception {
    String id = queue.submit(python("print('begin')"));
    Delivery first = queue.take("w1", Duration.ofMillis(100)).orElseThrow();
    queue.publish(first, 1, JobEvent.getDefaultInstance(), JobState.JOB_STATE_RUNNING);
    queue.publish(first, 2, stdout("begin\n"), null);

    Delivery second = takeOverAfterTheLease();

    assertThat(events(id))
        .last()
        .satisfies(
            e -> {
              assertThat(e.getAttempt()).isEqualTo(2);
              assertThat(e.getAttemptAbandoned())
                  .isEqualTo(
                      AttemptAbandoned.newBuilder()
                          .setAbandonedAttempt(1)
                          .setNewAttempt(2)
                          .setReason(RedisQueue.ABANDONED_LEASE)
                          .build());
            });
    assertThat(queue.publish(second, 1, running(), JobState.JOB_STATE_RUNNING))
        .as("the new attempt numbers its events from 1 again")
        .isTrue();
    assertThat(events(id))
        .last()
        .satisfies(e -> assertThat(e.getState().getState()).isEqualTo(JobState.JOB_STATE_RUNNING));
  }

  @Test
  void takingOverAnAttemptThatWroteNothingAppendsNoMarker() throws Exception {
    String id = queue.submit(python("print(1)"));
    assertThat(queue.take("w1", Duration.ofMillis(100))).isPresent();

    Delivery second = takeOverAfterTheLease();

    assertThat(second.attempt()).isEqualTo(2);
    assertThat(events(id)).noneMatch(JobEvent::hasAttemptAbandoned);
  }

  @Test
  void aReleasedAttemptIsAbandonedBecauseItsWorkerShutDown() {
    String id = queue.submit(python("print(1)"));
    Delivery first = queue.take("w1", Duration.ofMillis(100)).orElseThrow();
    queue.publish(first, 1, JobEvent.getDefaultInstance(), JobState.JOB_STATE_RUNNING);
    queue.release(first, "w1");

    assertThat(queue.take("w2", Duration.ZERO)).isPresent();

    assertThat(events(id))
        .last()
        .satisfies(
            e ->
                assertThat(e.getAttemptAbandoned().getReason())
                    .isEqualTo(RedisQueue.ABANDONED_RELEASED));
  }

  @Test
  void aJobClaimedButNotStartedIsCancelledBeforeItStarted() {
    String id = queue.submit(python("print(1)"));
    assertThat(queue.take("w1", Duration.ofMillis(100))).isPresent();

    assertThat(queue.cancel(id)).contains(JobState.JOB_STATE_CANCELLED);

    assertThat(queue.getJob(id).orElseThrow().getResult().getMessage())
        .isEqualTo("cancelled before it started");
  }

  @Test
  void aJobWaitingToRunAgainIsNotSaidToHaveNeverStarted() throws Exception {
    String id = queue.submit(python("print(1)"));
    Delivery first = queue.take("w1", Duration.ofMillis(100)).orElseThrow();
    queue.publish(first, 1, JobEvent.getDefaultInstance(), JobState.JOB_STATE_RUNNING);
    takeOverAfterTheLease();

    assertThat(queue.cancel(id)).contains(JobState.JOB_STATE_CANCELLED);

    assertThat(queue.getJob(id).orElseThrow().getResult().getMessage())
        .startsWith("cancelled while waiting to run again");
  }
}
