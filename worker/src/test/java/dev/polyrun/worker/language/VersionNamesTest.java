package dev.polyrun.worker.language;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class VersionNamesTest {
  @Test
  void numbersCompareAsNumbersAndTheRestAsText() {
    List<String> sorted =
        Stream.of(
                "3.9", "3.13", "3.11", "25", "17", "21", "5.2.15", "5.2.37", "2.4", "1.3", "1.3.1")
            .sorted(VersionNames.NEWEST_FIRST)
            .toList();

    assertThat(sorted)
        .containsExactly(
            "25", "21", "17", "5.2.37", "5.2.15", "3.13", "3.11", "3.9", "2.4", "1.3.1", "1.3");
    assertThat(VersionNames.compare("1.0-beta", "1.0-alpha")).isPositive();
    assertThat(VersionNames.compare("12", "12")).isZero();
  }
}
