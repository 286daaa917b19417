package dev.polyrun.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {
  @ParameterizedTest
  @CsvSource({
    "64k, 65536",
    "256m, 268435456",
    "256MiB, 268435456",
    "256mb, 268435456",
    "1g, 1073741824",
    "1G, 1073741824",
    "2t, 2199023255552",
    "4096, 4096",
    "4096b, 4096",
    "0, 0",
    "' 2m ', 2097152"
  })
  void sizesAreBinaryMultiplesOfBytesInAnyCase(String text, long bytes) {
    assertThat(Quantities.size("memory", text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"12q", "", "m", "1.5g", "-1m", "256 mb", "1kk", "1ki"})
  void malformedSizesNameTheSettingTheValueAndTheExpectedForm(String text) {
    assertThatThrownBy(() -> Quantities.size("run.memory", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("run.memory: '" + text + "' (expected: a size like 256m, 1g, 64k)");
  }

  @Test
  void sizesBeyondALongAreRefused() {
    assertThatThrownBy(() -> Quantities.size("memory", "99999999999g"))
        .hasMessage("memory: '99999999999g' (expected: a size like 256m, 1g, 64k, below 8 EiB)");
  }

  @ParameterizedTest
  @CsvSource({
    "500ms, 500",
    "2s, 2000",
    "2S, 2000",
    "1m, 60000",
    "1h, 3600000",
    "1.5s, 1500",
    "0.25m, 15000",
    "0s, 0",
    "' 3s ', 3000"
  })
  void durationsAreWholeMillisecondsInAnyCase(String text, long millis) {
    assertThat(Quantities.duration("wall", text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2x", "2", "s", "-2s", "2 s s", "1e3ms", "1d"})
  void malformedDurationsNameTheSettingTheValueAndTheExpectedForm(String text) {
    assertThatThrownBy(() -> Quantities.duration("queue.lease", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queue.lease: '" + text + "' (expected: a duration like 500ms, 2s, 5m, 1h)");
  }

  @Test
  void integersOutsideTheirRangeNameTheRange() {
    assertThat(Quantities.integer("slots", "4", 1, 64)).isEqualTo(4);
    assertThatThrownBy(() -> Quantities.integer("slots", "0", 1, 64))
        .hasMessage("slots: '0' (expected: an integer from 1 to 64)");
    assertThatThrownBy(() -> Quantities.integer("slots", "x", 1, 64))
        .hasMessage("slots: 'x' (expected: an integer from 1 to 64)");
  }
}
