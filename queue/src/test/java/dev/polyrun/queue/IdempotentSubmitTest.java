package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idempotency keys claimed, their job created and bound in the one submit script. */
class IdempotentSubmitTest extends RealRedisTest {
  private static final Duration HOUR = Duration.ofHours(1);
  private RedisQueue queue;

  @BeforeEach
  void fresh() {
    queue = freshQueue(QueueOptions.defaults());
  }

  private static Submission keyed(
      String tenant, String key, String fingerprint, Duration retention) {
    return new Submission(
        python("print('" + fingerprint + "')"),
        tenant,
        Optional.of(new Submission.IdempotencyKey(key, fingerprint, retention)),
        Submission.Quota.NONE,
        true);
  }

  private static String jobOf(SubmitOutcome outcome) {
    return switch (outcome) {
      case SubmitOutcome.Accepted a -> a.jobId();
      case SubmitOutcome.Duplicate d -> d.jobId();
      default -> throw new AssertionError("expected a job, got " + outcome);
    };
  }

  @Test
  void aRetryAfterALostReplyGetsTheSameJobAndStoresNothingNew() {
    SubmitOutcome first = queue.submit(keyed("acme", "order-1", "fp1", HOUR));
    long streamLength = raw.xlen(keys.jobs("python"));

    SubmitOutcome retry = queue.submit(keyed("acme", "order-1", "fp1", HOUR));

    assertThat(first).isInstanceOf(SubmitOutcome.Accepted.class);
    assertThat(retry).isEqualTo(new SubmitOutcome.Duplicate(jobOf(first)));
    assertThat(raw.xlen(keys.jobs("python"))).isEqualTo(streamLength);
    assertThat(raw.keys("polyrun:*:job:*")).hasSize(1);
  }

  @Test
  void theSameKeyWithAnotherRequestNamesTheKeysJobAndStoresNothing() {
    String jobId = jobOf(queue.submit(keyed("acme", "order-2", "fp1", HOUR)));

    SubmitOutcome other = queue.submit(keyed("acme", "order-2", "fp2", HOUR));

    assertThat(other).isEqualTo(new SubmitOutcome.KeyReused(jobId));
    assertThat(raw.keys("polyrun:*:job:*")).hasSize(1);
  }

  @Test
  void keysOfDifferentTenantsAreIndependent() {
    String acme = jobOf(queue.submit(keyed("acme", "k", "fp", HOUR)));
    String globex = jobOf(queue.submit(keyed("globex", "k", "fp", HOUR)));

    assertThat(globex).isNotEqualTo(acme);
  }

  @Test
  void concurrentSubmissionsWithOneKeyMakeOneJob() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Callable<String>> calls = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        calls.add(() -> jobOf(queue.submit(keyed("acme", "same", "fp", HOUR))));
      }
      Set<String> ids = new HashSet<>();
      for (Future<String> f : pool.invokeAll(calls)) {
        ids.add(f.get());
      }
      assertThat(ids).hasSize(1);
      assertThat(raw.keys("polyrun:*:job:*")).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aKeyOutlivesItsJobsRecordWhileTheJobWaitsRunsAndEnds() throws Exception {
    QueueOptions shortLived =
        QueueOptions.builder()
            .queuedTtl(Duration.ofSeconds(3))
            .jobTtl(Duration.ofSeconds(1))
            .build();
    RedisQueue q = freshQueue(shortLived);
    String jobId = jobOf(q.submit(keyed("acme", "waits", "fp", Duration.ofSeconds(1))));
    String key = raw.keys("polyrun:*:idem:*").iterator().next();
    String record = keys.job(jobId);
    assertThat(raw.pttl(key)).as("a waiting job's key").isGreaterThan(raw.pttl(record));

    Thread.sleep(1500); // past the key's own retention, the job still waiting
    assertThat(q.submit(keyed("acme", "waits", "fp", Duration.ofSeconds(1))))
        .isEqualTo(new SubmitOutcome.Duplicate(jobId));

    Delivery d = q.take("w1", Duration.ofMillis(100)).orElseThrow();
    q.publish(d, 1, dev.polyrun.proto.v1.JobEvent.getDefaultInstance(), JobState.JOB_STATE_RUNNING);
    assertThat(raw.pttl(key)).as("a running job's key").isGreaterThan(raw.pttl(record));
    q.complete(
        d, 2, Result.newBuilder().setVerdict(Verdict.VERDICT_OK).build(), JobState.JOB_STATE_DONE);
    assertThat(raw.pttl(key)).as("a finished job's key").isGreaterThan(raw.pttl(record));
    assertThat(q.submit(keyed("acme", "waits", "fp", Duration.ofSeconds(1))))
        .isEqualTo(new SubmitOutcome.Duplicate(jobId));
  }

  @Test
  void aKeyedRetryGetsItsJobEvenWhileAdmissionControlRefusesNewJobs() {
    String jobId = jobOf(queue.submit(keyed("acme", "k", "fp", HOUR)));
    Submission retry = keyed("acme", "k", "fp", HOUR);
    Submission refusedRetry =
        new Submission(retry.request(), "acme", retry.key(), Submission.Quota.NONE, false);
    Submission newOne =
        new Submission(retry.request(), "acme", Optional.empty(), Submission.Quota.NONE, false);

    assertThat(queue.submit(refusedRetry)).isEqualTo(new SubmitOutcome.Duplicate(jobId));
    assertThat(queue.submit(newOne)).isEqualTo(new SubmitOutcome.Overloaded());
    assertThat(raw.keys("polyrun:*:job:*")).hasSize(1);
  }

  @Test
  void aKeyHeldByAnOlderCoordinatorsUnfinishedSubmissionIsReportedPending() {
    SubmitRequest request = python("print(1)");
    queue.submit(request); // creates the jobs stream and group, as a running cluster has
    Submission s = keyed("acme", "legacy", "fp", HOUR);
    String key = tenantKeys.idempotency("acme", "legacy");
    raw.hset(key, java.util.Map.of("fp", "fp", "job", ""));

    assertThat(queue.submit(s)).isEqualTo(new SubmitOutcome.KeyPending());
  }

  static String sha256(String s) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
