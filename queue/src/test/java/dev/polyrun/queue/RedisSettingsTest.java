package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

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
    RedisSettings s = RedisSettings.parse("rediss-sentinel://:pw@s1:26379,s2:26379,s3:26379/polyrun", null);

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
    for (String bad : List.of("redis-sentinel://s1:26379", "redis://a:1,b:2", "redis-cluster://n1:7000/x",
        "http://h:1", "redis://h", "redis://h:99999")) {
      assertThatThrownBy(() -> RedisSettings.parse(bad, null)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected: redis[s]://[user:password@]host:port");
    }
    assertThatThrownBy(() -> RedisSettings.parse("redis-sentinel://u:hunter2@s1:26379", null))
        .hasMessageNotContaining("hunter2");
  }
}
