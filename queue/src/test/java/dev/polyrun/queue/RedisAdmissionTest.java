package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.SubmitRequest;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisAdmissionTest extends RealRedisTest {
  private static final Duration HOUR = Duration.ofHours(1);
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
  void theFirstClaimOfAKeyWinsAndLaterOnesSeeItsFingerprintAndJob() {
    assertThat(admission.claim("acme", "k1", "fp1", Duration.ofSeconds(30)).claimed()).isTrue();

    IdempotencyStore.Claim pending = admission.claim("acme", "k1", "fp2", Duration.ofSeconds(30));
    assertThat(pending.claimed()).isFalse();
    assertThat(pending.pending()).isTrue();
    assertThat(pending.fingerprint()).isEqualTo("fp1");

    assertThat(admission.bind("acme", "k1", "fp1", "job-1", HOUR)).isTrue();
    IdempotencyStore.Claim bound = admission.claim("acme", "k1", "fp1", Duration.ofSeconds(30));
    assertThat(bound).isEqualTo(new IdempotencyStore.Claim(false, "fp1", "job-1"));
    assertThat(raw.pttl("polyrun:idem:acme:" + sha256("k1"))).isGreaterThan(Duration.ofMinutes(59).toMillis());
  }

  @Test
  void keysOfDifferentTenantsAreIndependent() {
    assertThat(admission.claim("acme", "k", "fp", Duration.ofSeconds(30)).claimed()).isTrue();
    assertThat(admission.claim("globex", "k", "fp", Duration.ofSeconds(30)).claimed()).isTrue();
  }

  @Test
  void aReleasedPendingClaimCanBeClaimedAgainButABoundOneStays() {
    admission.claim("acme", "k", "fp", Duration.ofSeconds(30));
    admission.release("acme", "k", "fp");
    assertThat(admission.claim("acme", "k", "fp", Duration.ofSeconds(30)).claimed()).isTrue();

    admission.bind("acme", "k", "fp", "job-1", HOUR);
    admission.release("acme", "k", "fp");
    assertThat(admission.claim("acme", "k", "fp", Duration.ofSeconds(30)).jobId()).isEqualTo("job-1");
  }

  @Test
  void aPendingClaimLapsesAfterItsTtl() throws InterruptedException {
    admission.claim("acme", "k", "fp", Duration.ofMillis(100));
    Thread.sleep(200);

    assertThat(admission.claim("acme", "k", "other", Duration.ofSeconds(30)).claimed()).isTrue();
    assertThat(admission.bind("acme", "k", "fp", "job-1", HOUR)).as("the lapsed claimer binds").isFalse();
  }

  @Test
  void theBucketAllowsTheBurstThenAsksToWaitForTheRate() {
    assertThat(admission.takeSubmission("acme", 2, 3)).isZero();
    assertThat(admission.takeSubmission("acme", 2, 3)).isZero();
    assertThat(admission.takeSubmission("acme", 2, 3)).isZero();

    Duration wait = admission.takeSubmission("acme", 2, 3);

    assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMillis(500));
    assertThat(admission.takeSubmission("globex", 2, 3)).as("another tenant's bucket").isZero();
  }

  @Test
  void theBucketRefillsAtTheRate() throws InterruptedException {
    admission.takeSubmission("acme", 10, 1);
    assertThat(admission.takeSubmission("acme", 10, 1)).isPositive();

    Thread.sleep(150);

    assertThat(admission.takeSubmission("acme", 10, 1)).isZero();
  }

  @Test
  void activeJobsAreCappedUntilOneEnds() {
    String r1 = admission.reserveActive("acme", 2).orElseThrow();
    String job1 = queue.submit(hello(), "acme");
    admission.activate("acme", r1, job1);
    String r2 = admission.reserveActive("acme", 2).orElseThrow();
    admission.activate("acme", r2, queue.submit(hello(), "acme"));

    assertThat(admission.reserveActive("acme", 2)).isEmpty();
    assertThat(admission.activeJobs("acme")).isEqualTo(2);

    queue.cancel(job1);

    Optional<String> third = admission.reserveActive("acme", 2);
    assertThat(third).isPresent();
    assertThat(admission.activeJobs("acme")).isEqualTo(2);
  }

  @Test
  void aReleasedReservationFreesItsPlace() {
    String r1 = admission.reserveActive("acme", 1).orElseThrow();
    assertThat(admission.reserveActive("acme", 1)).isEmpty();

    admission.release("acme", r1);

    assertThat(admission.reserveActive("acme", 1)).isPresent();
  }

  @Test
  void jobsWhoseRecordsExpiredNoLongerCount() {
    String r1 = admission.reserveActive("acme", 1).orElseThrow();
    String job = queue.submit(hello(), "acme");
    admission.activate("acme", r1, job);
    raw.del("polyrun:job:{" + job + "}");

    assertThat(admission.activeJobs("acme")).isZero();
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
    queue.take("w1", Duration.ofMillis(100)).orElseThrow();

    QueueLoad load = admission.load(10);

    assertThat(load.waiting()).isZero();
    assertThat(load.pending()).isEqualTo(1);
    assertThat(load.oldestWaitingAge()).isZero();
  }

  private static String sha256(String s) throws RuntimeException {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
