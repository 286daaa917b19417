package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.LanguageVersion;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.queue.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisQueueTest extends RealRedisTest {
  private RedisQueue queue;

  @BeforeEach
  void freshQueue() {
    queue = freshQueue(QueueOptions.defaults());
  }

  private static SubmitRequest hello() {
    return SubmitRequest.newBuilder()
        .setLanguage("python")
        .addFiles(
            SourceFile.newBuilder()
                .setPath("main.py")
                .setContent(ByteString.copyFromUtf8("print(1)")))
        .build();
  }

  @Test
  void submittedJobIsQueuedWithItsQueuedEventAndTtl() {
    String id = queue.submit(hello());

    assertThat(queue.getJob(id))
        .get()
        .satisfies(
            job -> {
              assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_QUEUED);
              assertThat(job.getLanguage()).isEqualTo("python");
              assertThat(job.getAttempt()).isZero();
            });
    List<JobEvent> events = queue.readEvents(id, "", Duration.ZERO, 10);
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getState().getState()).isEqualTo(JobState.JOB_STATE_QUEUED);
              assertThat(e.getJobId()).isEqualTo(id);
              assertThat(e.getCursor()).isNotEmpty();
            });
    assertThat(raw.ttl(keys.job(id))).as("a waiting job's record").isBetween(86000L, 86400L);
    assertThat(raw.ttl(keys.events(id))).isBetween(86000L, 86400L);
    assertThat(queue.depth()).isEqualTo(new QueueDepth(1, 0));
  }

  @Test
  void workerTakesJobWithFirstAttemptAndItsSpec() {
    String id = queue.submit(hello());

    Delivery d = queue.take("w1", Duration.ofMillis(100)).orElseThrow();

    assertThat(d.jobId()).isEqualTo(id);
    assertThat(d.attempt()).isEqualTo(1);
    assertThat(d.request()).isEqualTo(hello());
    assertThat(queue.depth()).isEqualTo(new QueueDepth(0, 1));
    assertThat(queue.take("w2", Duration.ofMillis(50))).isEmpty();
  }

  @Test
  void eventsAreReadInOrderAfterACursorAndBytesStayExact() {
    String id = queue.submit(hello());
    Delivery d = queue.take("w1", Duration.ofMillis(100)).orElseThrow();
    byte[] invalidUtf8 = {(byte) 0xff, (byte) 0xfe, 0, 10};
    assertThat(
            queue.publish(
                d,
                1,
                JobEvent.newBuilder().setStdout(ByteString.copyFrom(invalidUtf8)).build(),
                JobState.JOB_STATE_RUNNING))
        .isTrue();
    assertThat(
            queue.publish(
                d, 2, JobEvent.newBuilder().setStderr(ByteString.copyFromUtf8("e")).build(), null))
        .isTrue();

    List<JobEvent> all = queue.readEvents(id, "", Duration.ZERO, 10);
    assertThat(all).hasSize(3);
    assertThat(all.get(1).getStdout().toByteArray()).isEqualTo(invalidUtf8);
    List<JobEvent> rest = queue.readEvents(id, all.get(1).getCursor(), Duration.ZERO, 10);
    assertThat(rest)
        .singleElement()
        .satisfies(e -> assertThat(e.getStderr().toStringUtf8()).isEqualTo("e"));
    assertThat(queue.getJob(id).orElseThrow().getState()).isEqualTo(JobState.JOB_STATE_RUNNING);
  }

  @Test
  void completedJobCannotBeCompletedOrPublishedAgain() {
    String id = queue.submit(hello());
    Delivery d = queue.take("w1", Duration.ofMillis(100)).orElseThrow();
    Result ok = Result.newBuilder().setVerdict(Verdict.VERDICT_OK).build();

    assertThat(queue.complete(d, 1, ok, JobState.JOB_STATE_DONE)).isTrue();
    assertThat(
            queue.complete(
                d,
                2,
                Result.newBuilder().setVerdict(Verdict.VERDICT_INTERNAL_ERROR).build(),
                JobState.JOB_STATE_DONE))
        .isFalse();
    assertThat(
            queue.publish(
                d,
                3,
                JobEvent.newBuilder().setStdout(ByteString.copyFromUtf8("late")).build(),
                null))
        .isFalse();
    queue.ack(d);

    assertThat(queue.getJob(id).orElseThrow().getResult().getVerdict())
        .isEqualTo(Verdict.VERDICT_OK);
    assertThat(queue.readEvents(id, "", Duration.ZERO, 10))
        .last()
        .satisfies(e -> assertThat(e.hasResult()).isTrue());
    assertThat(raw.ttl(keys.job(id))).as("a finished job's record").isBetween(3500L, 3600L);
    assertThat(queue.depth()).isEqualTo(new QueueDepth(0, 0));
  }

  @Test
  void writesOfAnOlderAttemptAreFencedOut() {
    String id = queue.submit(hello());
    Delivery first = queue.take("w1", Duration.ofMillis(100)).orElseThrow();
    raw.hincrBy(keys.job(id), "attempt", 1);

    assertThat(
            queue.publish(
                first,
                1,
                JobEvent.newBuilder().setStdout(ByteString.copyFromUtf8("x")).build(),
                null))
        .isFalse();
    assertThat(
            queue.complete(
                first,
                1,
                Result.newBuilder().setVerdict(Verdict.VERDICT_OK).build(),
                JobState.JOB_STATE_DONE))
        .isFalse();
    assertThat(queue.getJob(id).orElseThrow().hasResult()).isFalse();
  }

  @Test
  void cancellingAQueuedJobEndsItAndTheWorkerSkipsIt() {
    String id = queue.submit(hello());

    assertThat(queue.cancel(id)).contains(JobState.JOB_STATE_CANCELLED);

    assertThat(queue.getJob(id).orElseThrow().getResult().getVerdict())
        .isEqualTo(Verdict.VERDICT_CANCELLED);
    assertThat(queue.take("w1", Duration.ofMillis(50))).isEmpty();
    assertThat(queue.depth()).isEqualTo(new QueueDepth(0, 0));
  }

  @Test
  void cancellingARunningJobFlagsItForItsWorker() {
    String id = queue.submit(hello());
    Delivery d = queue.take("w1", Duration.ofMillis(100)).orElseThrow();
    queue.publish(d, 1, JobEvent.getDefaultInstance(), JobState.JOB_STATE_RUNNING);
    assertThat(queue.cancelRequested(id)).isFalse();

    assertThat(queue.cancel(id)).contains(JobState.JOB_STATE_RUNNING);

    assertThat(queue.cancelRequested(id)).isTrue();
  }

  @Test
  void theSubmittingTenantIsRecorded() {
    String mine = queue.submit(hello(), "acme");
    String anonymous = queue.submit(hello());

    assertThat(queue.tenantOf(mine)).contains("acme");
    assertThat(queue.tenantOf(anonymous)).contains("");
    assertThat(queue.tenantOf("nope")).isEmpty();
  }

  @Test
  void unknownJobIsEmptyEverywhere() {
    assertThat(queue.getJob("nope")).isEmpty();
    assertThat(queue.cancel("nope")).isEqualTo(Optional.empty());
    assertThat(queue.readEvents("nope", "", Duration.ZERO, 10)).isEmpty();
  }

  @Test
  void advertisedLanguagesAreListedSortedAndExpire() {
    queue.advertise(
        List.of(
            Language.newBuilder().setName("python").setVersion("3.11.2").build(),
            Language.newBuilder().setName("c").setVersion("12.2.0").build()));

    assertThat(queue.languages()).extracting(Language::getName).containsExactly("c", "python");
    assertThat(raw.ttl("polyrun:languages")).isBetween(55L, 60L);
  }

  @Test
  void aVersionsJobWaitsInThatVersionsQueueForAWorkerThatReadsIt() {
    String old =
        ((SubmitOutcome.Accepted)
                queue.submit(Submission.of(python("print(1)"), "t").withVersion("3.11")))
            .jobId();
    String current = queue.submit(python("print(2)"), "t");

    assertThat(queue.take("w", Duration.ofMillis(50), List.of("python")))
        .get()
        .extracting(Delivery::jobId)
        .isEqualTo(current);
    assertThat(queue.take("w", Duration.ofMillis(50), List.of("python"))).isEmpty();
    assertThat(queue.take("w", Duration.ofMillis(50), List.of("python@3.11")))
        .get()
        .extracting(Delivery::jobId)
        .isEqualTo(old);
  }

  @Test
  void aVersionsQueueIsServedWhileAWorkerAdvertisesIt() {
    queue.advertise(
        List.of(
            Language.newBuilder()
                .setName("python")
                .addVersions(LanguageVersion.newBuilder().setName("3.13").setIsDefault(true))
                .addVersions(LanguageVersion.newBuilder().setName("3.11"))
                .build()));

    assertThat(queue.servedQueues())
        .containsExactlyInAnyOrder("python", "python@3.13", "python@3.11");
  }

  @Test
  void aViewNoWorkerRefreshedWithinTheRetentionIsDroppedThoughItsVersionIsStillServed()
      throws Exception {
    RedisQueue shortLived =
        freshQueue(QueueOptions.builder().languagesTtl(Duration.ofSeconds(1)).build());
    shortLived.advertise(
        List.of(
            Language.newBuilder()
                .setName("python")
                .addVersions(LanguageVersion.newBuilder().setName("3.12").setIsDefault(true))
                .build()));
    Thread.sleep(1100); // the worker was upgraded: that view is never advertised again
    shortLived.advertise(
        List.of(
            Language.newBuilder()
                .setName("python")
                .addVersions(LanguageVersion.newBuilder().setName("3.13").setIsDefault(true))
                .addVersions(LanguageVersion.newBuilder().setName("3.12"))
                .build()));

    assertThat(shortLived.languages())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l.getVersionsList())
                    .extracting(LanguageVersion::getName, LanguageVersion::getIsDefault)
                    .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("3.13", true),
                        org.assertj.core.groups.Tuple.tuple("3.12", false)));
    assertThat(raw.hkeys("polyrun:languages")).containsExactly("python@3.12,3.13");
  }

  @Test
  void aWorkerOfSeveralQueuesTakesTheJobBehindACancelledOneInTheSamePass() {
    String cancelled = queue.submit(python("print(1)"), "t");
    String next = queue.submit(python("print(2)"), "t");
    queue.cancel(cancelled);

    assertThat(queue.take("w", Duration.ofSeconds(5), List.of("python", "c")))
        .get()
        .extracting(Delivery::jobId)
        .isEqualTo(next);
  }

  @Test
  void aWorkerOfSeveralQueuesTakesANewJobPastATakenOverEntryWhoseJobEnded() throws Exception {
    RedisQueue shortLease = freshQueue(QueueOptions.builder().lease(Duration.ofSeconds(1)).build());
    shortLease.submit(python("print(1)"), "t");
    Delivery first = shortLease.take("w1", Duration.ofSeconds(1), List.of("python")).orElseThrow();
    shortLease.complete(
        first,
        1,
        Result.newBuilder().setVerdict(Verdict.VERDICT_OK).build(),
        JobState.JOB_STATE_DONE);
    Thread.sleep(1200); // its worker died before acknowledging: the entry's lease runs out
    String next = shortLease.submit(python("print(2)"), "t");

    assertThat(shortLease.take("w2", Duration.ofSeconds(5), List.of("python", "c")))
        .get()
        .extracting(Delivery::jobId)
        .isEqualTo(next);
  }

  @Test
  void pingIsFalseWhenRedisIsGone() {
    TestRedis other = TestRedis.startLocalOnFreePort();
    RedisQueue q =
        RedisQueue.connect(other.settings(), QueueOptions.defaults(), Duration.ofSeconds(1));
    assertThat(q.ping()).isTrue();
    other.close();
    assertThat(q.ping()).isFalse();
    q.close();
  }
}
