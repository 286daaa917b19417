package dev.polyrun.worker.internal.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.Comparator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ComparatorsTest {
  private static boolean match(Comparator c, String actual, String expected, double tolerance) {
    return Comparators.matches(
        c,
        actual.getBytes(StandardCharsets.UTF_8),
        expected.getBytes(StandardCharsets.UTF_8),
        tolerance);
  }

  @Test
  void exactComparesEveryByte() {
    assertThat(match(Comparator.COMPARATOR_EXACT, "1 2\n", "1 2\n", 0)).isTrue();
    assertThat(match(Comparator.COMPARATOR_EXACT, "1 2\n", "1 2", 0)).isFalse();
    assertThat(match(Comparator.COMPARATOR_UNSPECIFIED, "a ", "a", 0)).isFalse();
  }

  @Test
  void ignoringTrailingWhitespaceForgivesLineEndsAndFinalBlankLines() {
    assertThat(match(Comparator.COMPARATOR_IGNORE_TRAILING_WHITESPACE, "a  \nb\t\n\n\n", "a\nb", 0))
        .isTrue();
    assertThat(match(Comparator.COMPARATOR_IGNORE_TRAILING_WHITESPACE, " a\n", "a\n", 0))
        .as("leading space counts")
        .isFalse();
    assertThat(match(Comparator.COMPARATOR_IGNORE_TRAILING_WHITESPACE, "a\n\nb", "a\nb", 0))
        .as("inner blank line counts")
        .isFalse();
  }

  @Test
  void numbersMatchWithinTheToleranceAndWordsMustBeEqual() {
    assertThat(match(Comparator.COMPARATOR_NUMBERS, "3.14159 ok\n", "3.1416 ok", 1e-4)).isTrue();
    assertThat(match(Comparator.COMPARATOR_NUMBERS, "3.15", "3.1416", 1e-4)).isFalse();
    assertThat(match(Comparator.COMPARATOR_NUMBERS, "1000001", "1000000", 1e-6))
        .as("relative to the expected value")
        .isTrue();
    assertThat(match(Comparator.COMPARATOR_NUMBERS, "1 2", "1 2 3", 1)).isFalse();
    assertThat(match(Comparator.COMPARATOR_NUMBERS, "yes", "no", 1)).isFalse();
  }
}
