package dev.polyrun.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
  @Test
  void settingsAndTheCliShareOneGrammar() {
    Settings s = Settings.of(Map.of("queue.lease", "2S", "run.memory", "256MiB"));

    assertThat(s.getDuration("queue.lease", Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.getSize("run.memory", 0)).isEqualTo(256L << 20);
    assertThat(s.getDuration("absent", Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aBadValueNamesItsKey() {
    Settings s = Settings.of(Map.of("worker.slots", "many"));

    assertThatThrownBy(() -> s.getInt("worker.slots", 2, 1, 64))
        .hasMessage("worker.slots: 'many' (expected: an integer from 1 to 64)");
  }

  @Test
  void environmentNamesAreDerivedFromKeys() {
    assertThat(Settings.envName("queue.job-ttl")).isEqualTo("POLYRUN_QUEUE_JOB_TTL");
  }
}
