package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.config.Settings;
import dev.polyrun.queue.internal.PemTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisSettingsTest {
  @Test
  void aSingleServerAddressKeepsItsUserAndPassword() {
    RedisSettings s = RedisSettings.parse("redis://polyrun:secret@10.0.0.5:6380", null);

    assertThat(s.topology()).isEqualTo(RedisSettings.Topology.STANDALONE);
    assertThat(s.nodes()).containsExactly("10.0.0.5:6380");
    assertThat(s.user()).isEqualTo("polyrun");
    assertThat(s.password()).isEqualTo("secret");
    assertThat(s.tls()).isFalse();
    assertThat(s.toString()).doesNotContain("secret");
  }

  @Test
  void aSentinelAddressNamesTheSentinelsAndTheMaster() {
    RedisSettings s =
        RedisSettings.parse("rediss-sentinel://:pw@s1:26379,s2:26379,s3:26379/polyrun", null);

    assertThat(s.topology()).isEqualTo(RedisSettings.Topology.SENTINEL);
    assertThat(s.nodes()).containsExactly("s1:26379", "s2:26379", "s3:26379");
    assertThat(s.masterName()).isEqualTo("polyrun");
    assertThat(s.user()).isNull();
    assertThat(s.password()).isEqualTo("pw");
    assertThat(s.tls()).isTrue();
  }

  @Test
  void aClusterAddressListsItsSeedNodesAndThePasswordSettingWins() {
    RedisSettings s = RedisSettings.parse("redis-cluster://app:old@n1:7000,n2:7001", "new");

    assertThat(s.topology()).isEqualTo(RedisSettings.Topology.CLUSTER);
    assertThat(s.nodes()).containsExactly("n1:7000", "n2:7001");
    assertThat(s.host()).isEqualTo("n1");
    assertThat(s.port()).isEqualTo(7000);
    assertThat(s.user()).isEqualTo("app");
    assertThat(s.password()).isEqualTo("new");
    assertThat(s.address()).isEqualTo("cluster n1:7000,n2:7001");
  }

  @Test
  void badAddressesAreRefusedNamingTheFormsWithoutThePassword() {
    for (String bad :
        List.of(
            "redis-sentinel://s1:26379",
            "redis://a:1,b:2",
            "redis-cluster://n1:7000/x",
            "http://h:1",
            "redis://h",
            "redis://h:99999")) {
      assertThatThrownBy(() -> RedisSettings.parse(bad, null))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected: redis[s]://[user:password@]host:port");
    }
    assertThatThrownBy(() -> RedisSettings.parse("redis-sentinel://u:hunter2@s1:26379", null))
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void aTrustedCaNeedsATlsAddress() {
    assertThatThrownBy(
            () -> RedisSettings.parse("redis://h:6379", null).withTrustedCa(Path.of("/etc/ca.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/etc/ca.pem")
        .hasMessageContaining("rediss://");
    assertThat(
            RedisSettings.parse("rediss://h:6379", null)
                .withTrustedCa(Path.of("/etc/ca.pem"))
                .trustedCa())
        .isEqualTo(Path.of("/etc/ca.pem"));
  }

  @Test
  void sentinelCredentialsAreKeptApartFromTheMastersAndOnlyForSentinel() {
    RedisSettings s =
        RedisSettings.parse("rediss-sentinel://app:master-pw@s1:26379/polyrun", null)
            .withSentinelCredentials("watcher", "sentinel-pw");

    assertThat(s.user()).isEqualTo("app");
    assertThat(s.password()).isEqualTo("master-pw");
    assertThat(s.sentinelUser()).isEqualTo("watcher");
    assertThat(s.sentinelPassword()).isEqualTo("sentinel-pw");
    assertThat(s.withPool(3, Duration.ofSeconds(1)).sentinelPassword()).isEqualTo("sentinel-pw");
    assertThat(s.toString())
        .contains("sentinel user watcher")
        .doesNotContain("sentinel-pw")
        .doesNotContain("master-pw");
    assertThatThrownBy(
            () -> RedisSettings.parse("redis://h:6379", null).withSentinelCredentials(null, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("STANDALONE");
  }

  @Test
  void eachWitherChangesItsOwnFieldsAndKeepsTheOthers() {
    RedisSettings s =
        RedisSettings.parse("rediss-cluster://app:pw@n1:7000,n2:7001", null)
            .withTrustedCa(Path.of("/etc/ca.pem"));

    RedisSettings pooled = s.withPool(7, Duration.ofMillis(300));
    assertThat(pooled.maxConnections()).isEqualTo(7);
    assertThat(pooled.poolWait()).isEqualTo(Duration.ofMillis(300));
    assertThat(pooled.withPool(s.maxConnections(), s.poolWait())).isEqualTo(s);
    RedisSettings other = s.withCredentials("ops", "pw2");
    assertThat(other.user()).isEqualTo("ops");
    assertThat(other.password()).isEqualTo("pw2");
    assertThat(other.withCredentials("app", "pw")).isEqualTo(s);
    assertThat(s.withTrustedCa(null).withTrustedCa(Path.of("/etc/ca.pem"))).isEqualTo(s);

    RedisSettings node = pooled.node("n2:7001");
    assertThat(node.topology()).isEqualTo(RedisSettings.Topology.STANDALONE);
    assertThat(node.nodes()).containsExactly("n2:7001");
    assertThat(node.maxConnections()).isEqualTo(2);
    assertThat(node.user()).isEqualTo("app");
    assertThat(node.tls()).isTrue();
    assertThat(node.trustedCa()).isEqualTo(Path.of("/etc/ca.pem"));
    assertThat(node.poolWait()).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void theSettingsReadTheCaFileAndTheSentinelsCredentials() {
    Settings settings =
        Settings.of(
            Map.of(
                "redis.address",
                "rediss-sentinel://s1:26379,s2:26379/polyrun",
                "redis.tls-ca",
                "/etc/redis/ca.pem",
                "redis.sentinel-password",
                "sentinel-pw"));

    RedisSettings s = QueueSettings.redis(settings);

    assertThat(s.trustedCa()).isEqualTo(Path.of("/etc/redis/ca.pem"));
    assertThat(s.sentinelUser()).isNull();
    assertThat(s.sentinelPassword()).isEqualTo("sentinel-pw");
  }

  @Test
  void aCaFileWithoutCertificatesIsRefusedNamingIt(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");

    assertThatThrownBy(() -> PemTrust.socketFactory(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(empty.toString())
        .hasMessageContaining("expected: PEM certificates");
  }
}
