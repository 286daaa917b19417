package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.Verdict;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tenant quotas checked and counted by the submit script, uncounted when jobs end, reconciled for
 * ends nobody reported; against a real Redis.
 */
class TenantQuotaTest extends RealRedisTest {
  private static final Duration LEASE = Duration.ofSeconds(1);
  private RedisQueue queue;
  private RedisAdmission admission;

  @BeforeEach
  void fresh() {
    QueueOptions options = QueueOptions.builder().lease(LEASE).maxDeliveries(1).build();
    queue = freshQueue(options);
    admission = RedisAdmission.sharing(queue, options);
  }

  @AfterEach
  void close() {
    admission.close();
  }

  private SubmitOutcome submit(String tenant, int maxActive) {
    return queue.submit(
        new Submission(
            python("print(1)"),
            tenant,
            Optional.empty(),
            new Submission.Quota(maxActive, 0, 0),
            true));
  }

  private String accepted(String tenant, int maxActive) {
    SubmitOutcome outcome = submit(tenant, maxActive);
    assertThat(outcome).isInstanceOf(SubmitOutcome.Accepted.class);
    return ((SubmitOutcome.Accepted) outcome).jobId();
  }

  private long counted(String tenant) {
    return raw.zcard(tenantKeys.active(tenant));
  }

  private static final Result OK = Result.newBuilder().setVerdict(Verdict.VERDICT_OK).build();

  @Test
  void aTenantAtItsMostActiveJobsIsRefusedAndOthersAreNot() {
    accepted("acme", 2);
    accepted("acme", 2);

    assertThat(submit("acme", 2)).isEqualTo(new SubmitOutcome.OverActive(2));
    assertThat(submit("globex", 2)).isInstanceOf(SubmitOutcome.Accepted.class);
    assertThat(raw.keys("polyrun:*:job:*")).as("a refusal stores nothing").hasSize(3);
  }

  @Test
  void aCompletedJobIsUncountedAtOnce() {
    String first = accepted("acme", 1);
    Delivery d = queue.take("w1", Duration.ofMillis(100)).orElseThrow();
    assertThat(d.jobId()).isEqualTo(first);

    queue.complete(d, 2, OK, JobState.JOB_STATE_DONE);

    assertThat(counted("acme")).isZero();
    assertThat(submit("acme", 1)).isInstanceOf(SubmitOutcome.Accepted.class);
  }

  @Test
  void aJobCancelledWhileQueuedIsUncountedAtOnceAndARunningOneWhenItsWorkerStops() {
    String queued = accepted("acme", 2);
    String running = accepted("acme", 2);
    Delivery d = queue.take("w1", Duration.ofMillis(100)).orElseThrow();
    queue.publish(
        d, 1, dev.polyrun.proto.v1.JobEvent.getDefaultInstance(), JobState.JOB_STATE_RUNNING);
    String other = d.jobId().equals(queued) ? running : queued;

    queue.cancel(other);
    queue.cancel(d.jobId());

    assertThat(counted("acme"))
        .as("the running job counts until its worker stores CANCELLED")
        .isEqualTo(1);
    queue.complete(
        d,
        2,
        Result.newBuilder().setVerdict(Verdict.VERDICT_CANCELLED).build(),
        JobState.JOB_STATE_CANCELLED);
    assertThat(counted("acme")).isZero();
  }

  @Test
  void aJobIsUncountedOnceHoweverOftenItsEndIsReported() {
    String first = accepted("acme", 2);
    accepted("acme", 2);
    Delivery d = queue.take("w1", Duration.ofMillis(100)).orElseThrow();
    queue.complete(d, 2, OK, JobState.JOB_STATE_DONE);

    queue.cancel(first);
    queue.complete(d, 2, OK, JobState.JOB_STATE_DONE);
    admission.reconcileActiveJobs("acme");
    admission.reconcileActiveJobs("acme");

    assertThat(counted("acme")).isEqualTo(1);
  }

  @Test
  void aJobWhoseWorkerDiedCountsUntilItIsDeadLettered() throws InterruptedException {
    accepted("acme", 1);
    assertThat(queue.take("w1", Duration.ofMillis(100))).isPresent(); // w1 dies holding it

    assertThat(admission.reconcileActiveJobs("acme")).as("still queued or running").isEqualTo(1);
    Thread.sleep(LEASE.toMillis() + 200);
    assertThat(queue.take("w2", Duration.ZERO))
        .as("delivered once already: dead-lettered")
        .isEmpty();

    assertThat(counted("acme")).isZero();
  }

  @Test
  void aJobWhoseEndWentUnreportedIsUncountedByReconciliation() {
    String expired = accepted("acme", 3);
    String finished = accepted("acme", 3);
    accepted("acme", 3);
    raw.del(keys.job(expired));
    // a record expires a day after its submission at the earliest
    raw.zadd(tenantKeys.active("acme"), System.currentTimeMillis() - 86_400_000L, "job:" + expired);
    raw.hset(keys.job(finished), "state", "DONE"); // as a worker that died before reporting

    assertThat(admission.reconcileActiveJobs("acme")).isEqualTo(1);
    assertThat(counted("acme")).isEqualTo(1);
  }

  @Test
  void aJobReservedAMomentAgoWhoseRecordIsNotStoredYetStaysCounted() {
    String inProgress = accepted("acme", 3);
    raw.del(
        keys.job(inProgress)); // as between reserving (the tenant's slot) and storing (the queue's)

    assertThat(admission.reconcileActiveJobs("acme")).isEqualTo(1);
  }

  @Test
  void theRateAllowsTheBurstThenAsksToWaitAndARefusalTakesNothing() throws InterruptedException {
    // one token a second: the seven calls below need not fit in a token's 100 ms on a busy host
    Submission.Quota quota = new Submission.Quota(1, 1, 2);
    Submission s = new Submission(python("print(1)"), "acme", Optional.empty(), quota, true);
    assertThat(queue.submit(s)).isInstanceOf(SubmitOutcome.Accepted.class);
    assertThat(queue.submit(s))
        .as("over the active quota")
        .isEqualTo(new SubmitOutcome.OverActive(1));
    assertThat(queue.submit(s))
        .as("the refusal took no token")
        .isEqualTo(new SubmitOutcome.OverActive(1));
    raw.del(tenantKeys.active("acme"));

    assertThat(queue.submit(s)).isInstanceOf(SubmitOutcome.Accepted.class);
    raw.del(tenantKeys.active("acme"));
    SubmitOutcome over = queue.submit(s);

    assertThat(over).isInstanceOf(SubmitOutcome.OverRate.class);
    Duration retryAfter = ((SubmitOutcome.OverRate) over).retryAfter();
    assertThat(retryAfter).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
    Thread.sleep(retryAfter.toMillis() + 50);
    assertThat(queue.submit(s)).isInstanceOf(SubmitOutcome.Accepted.class);
  }
}
