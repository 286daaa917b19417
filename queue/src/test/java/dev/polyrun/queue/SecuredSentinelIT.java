package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.queue.testing.TestCertificates;
import dev.polyrun.queue.testing.TestSentinel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * A Sentinel topology locked down end to end: master, replica and sentinels serve TLS only
 * (certificates of a CA the test makes), the sentinels require a password of their own, and polyrun
 * is an ACL user on the servers with the README's recommended rule. The queue finds the master
 * through the sentinels, runs its whole path and follows a failover; a wrong sentinel password
 * fails naming the sentinels, never a password.
 */
class SecuredSentinelIT {
  @TempDir static Path dir;
  private static final RecommendedAcl acl = new RecommendedAcl();
  private static TestCertificates certs;
  private static TestSentinel sentinel;

  @BeforeAll
  static void start() throws Exception {
    certs = TestCertificates.create(dir);
    sentinel = TestSentinel.start(acl.security(certs, true));
  }

  @AfterAll
  static void stop() {
    if (sentinel != null) {
      sentinel.close();
    }
  }

  private static RedisSettings settings(String sentinelPassword) {
    return RedisSettings.parse(sentinel.uri("polyrun:" + acl.password + "@"), null)
        .withTrustedCa(certs.ca)
        .withSentinelCredentials(null, sentinelPassword);
  }

  @Test
  void theQueueFindsTheMasterThroughSentinelsWithPasswordsAndTlsAndFollowsAFailover() {
    QueueOptions options =
        QueueOptions.builder().durability(Durability.replicas(1, Duration.ofSeconds(2))).build();

    RecommendedAcl.Captured<String> run =
        RecommendedAcl.capturingStderr(
            () -> {
              QueueWalkthrough.run(settings(acl.sentinelPassword), options);
              return failOver();
            });

    if (run.failure() != null) {
      throw new AssertionError("the run failed; its log:\n" + run.stderr(), run.failure());
    }
    assertThat(run.value())
        .as("the master after the failover")
        .isEqualTo(sentinel.replica().host() + ":" + sentinel.replica().port());
    acl.assertNoSecretIn(run.stderr());
    try (Jedis admin =
        acl.security(certs, true).admin(sentinel.replica().host(), sentinel.replica().port())) {
      assertThat(admin.aclLog())
          .as("commands or keys the rule refused on the new master")
          .isEmpty();
    }
  }

  /** Kills the master, then submits through the same queue until the promoted replica takes it. */
  private String failOver() throws Exception {
    QueueOptions options = QueueOptions.builder().build();
    try (RedisQueue queue =
        RedisQueue.connect(settings(acl.sentinelPassword), options, Duration.ofSeconds(2))) {
      String before = sentinel.currentMaster();
      sentinel.master().kill();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        try {
          String id = queue.submit(QueueWalkthrough.program("python", "print(1)"), "acme");
          assertThat(queue.getJob(id)).as("the job submitted after the failover").isPresent();
          // the client follows the sentinel that led the failover; the one asked here may learn
          // of the new master a hello message (2 s) later
          return dev.polyrun.queue.testing.Await.value(
              Duration.ofSeconds(15),
              () -> Optional.of(sentinel.currentMaster()).filter(now -> !now.equals(before)),
              "the sentinel asked to name a new master");
        } catch (QueueUnavailableException e) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("no submit succeeded within 60 s of the master's death", e);
          }
          Thread.sleep(200);
        }
      }
    }
  }

  @Test
  void aWrongSentinelPasswordIsRefusedNamingTheSentinelsButNotThePassword() {
    RecommendedAcl.Captured<RedisQueue> attempt =
        RecommendedAcl.capturingStderr(
            () ->
                RedisQueue.connect(
                    settings("wrong-" + acl.sentinelPassword),
                    QueueOptions.builder().build(),
                    Duration.ofSeconds(2)));

    assertThat(attempt.failure())
        .isInstanceOf(QueueUnavailableException.class)
        .hasMessageContaining("sentinel")
        .hasMessageContaining(settings(null).address())
        .hasMessageContaining("redis.sentinel-password");
    assertThat(attempt.stderr()).as("Jedis's warnings about each sentinel").isNotEmpty();
    acl.assertNoSecretIn(attempt.failure());
    acl.assertNoSecretIn(attempt.stderr());
  }

  @Test
  void sentinelsThatRequireAPasswordRefuseAClientWithoutOne() {
    RecommendedAcl.Captured<RedisQueue> attempt =
        RecommendedAcl.capturingStderr(
            () ->
                RedisQueue.connect(
                    settings(null), QueueOptions.builder().build(), Duration.ofSeconds(2)));

    assertThat(attempt.failure())
        .isInstanceOf(QueueUnavailableException.class)
        .hasMessageContaining("redis.sentinel-password");
    acl.assertNoSecretIn(attempt.failure());
    acl.assertNoSecretIn(attempt.stderr());
  }
}
