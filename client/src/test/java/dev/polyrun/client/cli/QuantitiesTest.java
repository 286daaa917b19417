package dev.polyrun.client.cli;

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
    "1g, 1073741824",
    "1G, 1073741824",
    "4096, 4096",
    "' 2m ', 2097152"
  })
  void sizesAreBinaryMultiplesOfBytes(String text, long bytes) {
    assertThat(Quantities.parseSize(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"12q", "", "m", "1.5g", "-1m", "256 mb"})
  void malformedSizesNameTheValueAndTheExpectedForm(String text) {
    assertThatThrownBy(() -> Quantities.parseSize(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'" + text + "' (expected: a size like 256m, 1g, 64k)");
  }

  @Test
  void zeroSizeIsRefusedBecauseZeroMeansTheDefault() {
    assertThatThrownBy(() -> Quantities.parseSize("0m"))
        .hasMessage("'0m' (expected: a size like 256m, 1g, 64k, above zero)");
  }

  @Test
  void sizesBeyondALongAreRefused() {
    assertThatThrownBy(() -> Quantities.parseSize("99999999999g"))
        .hasMessageContaining("'99999999999g'")
        .hasMessageContaining("below 8 EiB");
  }

  @ParameterizedTest
  @CsvSource({"500ms, 500", "2s, 2000", "1m, 60000", "1.5s, 1500", "0.25m, 15000", "2S, 2000"})
  void durationsAreWholeMilliseconds(String text, long millis) {
    assertThat(Quantities.parseDuration(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2x", "2", "s", "-2s", "2 s s", "1e3ms"})
  void malformedDurationsNameTheValueAndTheExpectedForm(String text) {
    assertThatThrownBy(() -> Quantities.parseDuration(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'" + text + "' (expected: a duration like 500ms, 2s, 5m, 1h)");
  }

  @Test
  void durationsBelowOneMillisecondAreRefused() {
    assertThatThrownBy(() -> Quantities.parseDuration("0s"))
        .hasMessage("'0s' (expected: a duration like 500ms, 2s, 5m, 1h, of at least 1ms)");
    assertThatThrownBy(() -> Quantities.parseDuration("0.0001s"))
        .hasMessageContaining("of at least 1ms");
  }
}
