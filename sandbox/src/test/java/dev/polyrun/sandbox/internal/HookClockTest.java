package dev.polyrun.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HookClockTest {
  @Test
  void splitsCompleteStateMessagesAndKeepsAPartialOne() {
    StringBuilder text =
        new StringBuilder("{\"id\":\"a\",\"annotations\":{\"x\":\"}{\"}}{\"id\":\"b\"}{\"id\":");

    assertThat(HookClock.completeObjects(text))
        .containsExactly("{\"id\":\"a\",\"annotations\":{\"x\":\"}{\"}}", "{\"id\":\"b\"}");
    assertThat(text.toString()).isEqualTo("{\"id\":");
    text.append("\"c\"}\n");
    assertThat(HookClock.completeObjects(text)).containsExactly("{\"id\":\"c\"}");
  }
}
