package dev.polyrun.coordinator.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CursorsTest {
  @Test
  void cursorsCompareAsPositionsNotAsText() {
    assertThat(Cursors.compare("9-0", "10-0")).isNegative();
    assertThat(Cursors.compare("10-2", "10-10")).isNegative();
    assertThat(Cursors.compare("10-10", "10-10")).isZero();
    assertThat(Cursors.after("1-0", "")).as("an empty cursor is the start").isTrue();
    assertThat(Cursors.after("0-0", "")).isFalse();
  }
}
