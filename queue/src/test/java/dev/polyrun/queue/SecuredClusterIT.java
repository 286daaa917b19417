package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.queue.testing.TestCertificates;
import dev.polyrun.queue.testing.TestRedis;
import dev.polyrun.queue.testing.TestRedisCluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * A Redis Cluster locked down: TLS only, for clients and on the cluster bus (certificates of a CA
 * the test makes), the default user behind an admin password and polyrun an ACL user with the
 * README's recommended rule on every node. The queue's whole path runs on it.
 */
class SecuredClusterIT {
  @TempDir static Path dir;
  private static final RecommendedAcl acl = new RecommendedAcl();
  private static TestCertificates certs;
  private static TestRedisCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    certs = TestCertificates.create(dir);
    cluster = TestRedisCluster.start(3, 1, acl.security(certs, false));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theQueuesWholePathRunsOnAClusterOverTlsAsAUserWithTheRecommendedRule() {
    RedisSettings settings =
        RedisSettings.parse(cluster.uri("polyrun:" + acl.password + "@"), null)
            .withTrustedCa(certs.ca);
    QueueOptions options = QueueOptions.builder().shards(2).build();
    for (TestRedis node : cluster.nodes()) {
      try (Jedis admin = cluster.admin(node)) {
        admin.aclLogReset(); // the other test's refused logins
      }
    }

    RecommendedAcl.Captured<Void> run =
        RecommendedAcl.capturingStderr(
            () -> {
              QueueWalkthrough.run(settings, options);
              return null;
            });

    if (run.failure() != null) {
      throw new AssertionError("the run failed; its log:\n" + run.stderr(), run.failure());
    }
    acl.assertNoSecretIn(run.stderr());
    for (TestRedis node : cluster.nodes()) {
      try (Jedis admin = cluster.admin(node)) {
        assertThat(admin.aclLog())
            .as("commands or keys the rule refused on %s", node.port())
            .isEmpty();
      }
    }
  }

  @Test
  void aWrongPasswordIsRefusedNamingTheUserAndTheClusterButNotThePassword() {
    RedisSettings wrong =
        RedisSettings.parse(cluster.uri("polyrun:wrong-" + acl.password + "@"), null)
            .withTrustedCa(certs.ca);

    RecommendedAcl.Captured<RedisQueue> attempt =
        RecommendedAcl.capturingStderr(
            () -> RedisQueue.connect(wrong, QueueOptions.builder().build(), Duration.ofSeconds(2)));

    assertThat(attempt.failure())
        .isInstanceOf(QueueAccessException.class)
        .hasMessageContaining("'polyrun'")
        .hasMessageContaining("WRONGPASS")
        .hasMessageContaining(wrong.address());
    acl.assertNoSecretIn(attempt.failure());
    acl.assertNoSecretIn(attempt.stderr());
  }

  @Test
  void aClusterSignedByAnotherAuthorityIsRefusedWithATlsError() {
    RedisSettings untrusting =
        RedisSettings.parse(cluster.uri("polyrun:" + acl.password + "@"), null)
            .withTrustedCa(certs.otherCa);

    RecommendedAcl.Captured<RedisQueue> attempt =
        RecommendedAcl.capturingStderr(
            () ->
                RedisQueue.connect(
                    untrusting, QueueOptions.builder().build(), Duration.ofSeconds(2)));

    assertThat(attempt.failure())
        .isInstanceOf(QueueUnavailableException.class)
        .hasMessageContaining("TLS handshake failed")
        .hasMessageContaining(untrusting.address());
    acl.assertNoSecretIn(attempt.failure());
    acl.assertNoSecretIn(attempt.stderr());
  }
}
