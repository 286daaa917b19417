package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.queue.testing.TestCertificates;
import dev.polyrun.queue.testing.TestRedis;
import dev.polyrun.queue.testing.TestRedisSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * One real redis-server locked down as in production: TLS only, with a certificate of a CA the test
 * makes, the default user behind an admin password, and polyrun as an ACL user with the README's
 * recommended rule. The queue's whole path runs through it; wrong trust and wrong passwords fail
 * naming the user and address, never a password.
 */
class SecuredRedisIT {
  @TempDir static Path dir;
  private static final RecommendedAcl acl = new RecommendedAcl();
  private static TestCertificates certs;
  private static TestRedisSecurity security;
  private static TestRedis redis;

  @BeforeAll
  static void start() throws Exception {
    certs = TestCertificates.create(dir);
    security = acl.security(certs, false);
    redis =
        TestRedis.startLocalOnFreePort(port -> security.serverArgs(port).toArray(String[]::new));
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
  }

  private static String address() {
    return redis.host() + ":" + redis.port();
  }

  private static RedisSettings polyrun(String password, Path ca) {
    return RedisSettings.parse("rediss://polyrun:" + password + "@" + address(), null)
        .withTrustedCa(ca);
  }

  @Test
  void theQueuesWholePathRunsOverTlsAsAUserWithTheRecommendedRule() throws Exception {
    try (Jedis admin = security.admin(redis.host(), redis.port())) {
      admin.aclLogReset();
      admin.configResetStat();
    }

    QueueWalkthrough.run(polyrun(acl.password, certs.ca), QueueOptions.builder().build());

    try (Jedis admin = security.admin(redis.host(), redis.port())) {
      assertThat(admin.aclLog()).as("commands or keys the rule refused").isEmpty();
      assertThat(admin.info("commandstats"))
          .as("a woken event read was unblocked, as the rule allows")
          .contains("cmdstat_client|unblock:calls=");
    }
  }

  @Test
  void theRecommendedRuleIsTheOneTheReadmeGives() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));

    String rule = "user polyrun on >PASSWORD " + RecommendedAcl.PERMISSIONS;
    assertThat(readme.contains(rule)).as("README.md recommends %s", rule).isTrue();
  }

  @Test
  void theRuleLeavesRedisConfigurationUnreadSoDurabilityIsReportedUnknown() {
    try (RedisQueue queue =
        RedisQueue.connect(
            polyrun(acl.password, certs.ca),
            QueueOptions.builder().build(),
            Duration.ofSeconds(2))) {
      // CONFIG GET would also show the server's passwords: the rule does not grant it
      assertThat(queue.checkDurability().outcome()).isEqualTo(DurabilityCheck.Outcome.UNKNOWN);
    }
  }

  @Test
  void aServerSignedByAnotherAuthorityIsRefusedWithATlsError() {
    RecommendedAcl.Captured<RedisQueue> attempt =
        RecommendedAcl.capturingStderr(
            () ->
                RedisQueue.connect(
                    polyrun(acl.password, certs.otherCa),
                    QueueOptions.builder().build(),
                    Duration.ofSeconds(2)));

    assertThat(attempt.failure())
        .isInstanceOf(QueueUnavailableException.class)
        .hasMessageContaining("TLS handshake failed")
        .hasMessageContaining(address())
        .hasMessageContaining("'polyrun'");
    acl.assertNoSecretIn(attempt.failure());
    acl.assertNoSecretIn(attempt.stderr());
  }

  @Test
  void aWrongPasswordIsRefusedNamingTheUserAndAddressButNotThePassword() {
    RecommendedAcl.Captured<RedisQueue> attempt =
        RecommendedAcl.capturingStderr(
            () ->
                RedisQueue.connect(
                    polyrun("wrong-" + acl.password, certs.ca),
                    QueueOptions.builder().build(),
                    Duration.ofSeconds(2)));

    assertThat(attempt.failure())
        .isInstanceOf(QueueAccessException.class)
        .hasMessageContaining("'polyrun'")
        .hasMessageContaining(address())
        .hasMessageContaining("WRONGPASS");
    acl.assertNoSecretIn(attempt.failure());
    acl.assertNoSecretIn(attempt.stderr());
  }

  @Test
  void aQueueCreatedWithoutConnectingSaysTheCredentialsWereRefusedWhenChecked() {
    try (RedisQueue lazy =
        RedisQueue.create(
            polyrun("wrong-" + acl.password, certs.ca),
            QueueOptions.builder().build(),
            Duration.ofSeconds(2))) {
      assertThat(lazy.ping()).isFalse();
      RecommendedAcl.Captured<Object> check =
          RecommendedAcl.capturingStderr(
              () -> {
                lazy.checkAnswers();
                return null;
              });

      assertThat(check.failure())
          .isInstanceOf(QueueAccessException.class)
          .hasMessageContaining("'polyrun'")
          .hasMessageContaining(address());
      acl.assertNoSecretIn(check.failure());
    }
  }

  @Test
  void noPasswordIsRefusedAsAuthenticationRequired() {
    RedisSettings anonymous =
        RedisSettings.parse("rediss://" + address(), null).withTrustedCa(certs.ca);

    RecommendedAcl.Captured<RedisQueue> attempt =
        RecommendedAcl.capturingStderr(
            () ->
                RedisQueue.connect(
                    anonymous, QueueOptions.builder().build(), Duration.ofSeconds(2)));

    assertThat(attempt.failure())
        .isInstanceOf(QueueAccessException.class)
        .hasMessageContaining("user default")
        .hasMessageContaining("NOAUTH");
  }

  @Test
  void thePasswordIsNeverInTheSettingsDescription() {
    RedisSettings settings = polyrun(acl.password, certs.ca);

    acl.assertNoSecretIn(settings.toString());
    acl.assertNoSecretIn(settings.address());
  }
}
