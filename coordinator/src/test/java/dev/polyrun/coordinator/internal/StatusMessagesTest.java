package dev.polyrun.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusMessagesTest {
  @Test
  void printableAsciiButPercentIsSentAsItIs() {
    String message =
        "tenant acme has 2 jobs queued or running, its most at once; retry: 'soon' (or later) +*~";

    assertThat(StatusMessages.encode(message)).isEqualTo(message);
  }

  @Test
  void percentNonAsciiAndControlBytesArePercentEncoded() {
    assertThat(StatusMessages.encode("50% done")).isEqualTo("50%25 done");
    assertThat(StatusMessages.encode("'pythön'")).isEqualTo("'pyth%C3%B6n'");
    assertThat(StatusMessages.encode("a\nb\tc\u007f")).isEqualTo("a%0Ab%09c%7F");
    assertThat(StatusMessages.encode("\u20ac")).isEqualTo("%E2%82%AC");
  }
}
