package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.queue.internal.AdmissionKeys;
import dev.polyrun.queue.internal.Keys;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

class KeysTest {
  private final Keys keys = new Keys("polyrun");

  @Test
  void aJobsKeysShareTheSlotOfItsQueuesKeys() {
    String id = Keys.newJobId("python");
    int slot = JedisClusterCRC16.getSlot(keys.jobs("python"));

    for (String key :
        new String[] {
          keys.job(id),
          keys.events(id),
          keys.deadLetters("python"),
          keys.backlogTenants("python"),
          keys.backlogPrefix("python") + "acme",
          keys.turn("python")
        }) {
      assertThat(JedisClusterCRC16.getSlot(key)).as(key).isEqualTo(slot);
    }
  }

  @Test
  void aJobIdIsAUuidThatStartsWithItsQueuesTag() {
    String id = Keys.newJobId("c");

    assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(Keys.tagOfJob(id)).isEqualTo(Keys.tag("c"));
    assertThat(Keys.jobOfKey(keys.events(id))).isEqualTo(id);
  }

  @Test
  void shardsSpreadALanguageOverQueuesOfTheirOwn() {
    Set<String> tags = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      tags.add(Keys.tagOfJob(Keys.newJobId("python", 4)));
    }

    assertThat(tags)
        .containsExactlyInAnyOrder(
            Keys.tag("python~0"), Keys.tag("python~1"), Keys.tag("python~2"), Keys.tag("python~3"));
    assertThat(Keys.languageOf("python~3")).isEqualTo("python");
  }

  @Test
  void aTenantsKeysShareOneSlot() {
    AdmissionKeys tenant = new AdmissionKeys("polyrun");
    int slot = JedisClusterCRC16.getSlot(tenant.active("acme"));

    assertThat(JedisClusterCRC16.getSlot(tenant.rate("acme"))).isEqualTo(slot);
    assertThat(JedisClusterCRC16.getSlot(tenant.idempotency("acme", "any key {with braces}")))
        .isEqualTo(slot);
  }
}
