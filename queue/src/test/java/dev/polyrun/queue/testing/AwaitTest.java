package dev.polyrun.queue.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
  @Test
  void untilReturnsOnceTheConditionTurnsTrue() {
    AtomicInteger polls = new AtomicInteger();

    Await.until(Duration.ofSeconds(10), () -> polls.incrementAndGet() >= 3, "the third poll");

    assertThat(polls.get()).isEqualTo(3);
  }

  @Test
  void untilFailsNamingWhatItAwaitedAndTheTimeout() {
    assertThatThrownBy(() -> Await.until(Duration.ofMillis(50), () -> false, "job 42 is cancelled"))
        .isInstanceOf(AssertionError.class)
        .hasMessage("expected within PT0.05S: job 42 is cancelled (it was not)");
  }

  @Test
  void valueGivesTheFirstValueTheProbeFinds() {
    AtomicInteger polls = new AtomicInteger();

    String found =
        Await.value(
            Duration.ofSeconds(10),
            () -> polls.incrementAndGet() == 2 ? Optional.of("second") : Optional.empty(),
            "a value");

    assertThat(found).isEqualTo("second");
  }
}
