package dev.polyrun.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BurstLogTest {
  private final AtomicLong nanos = new AtomicLong(1);
  private final BurstLog log = new BurstLog(Duration.ofSeconds(30), nanos::get);

  @Test
  void theFirstOccurrenceIsLoggedAndTheRestOfTheBurstIsCountedInTheNextLine() {
    assertThat(log.occurred()).isZero();
    assertThat(log.occurred()).isEqualTo(-1);
    assertThat(log.occurred()).isEqualTo(-1);

    nanos.addAndGet(Duration.ofSeconds(31).toNanos());

    assertThat(log.occurred()).as("two went unlogged").isEqualTo(2);
    assertThat(log.occurred()).isEqualTo(-1);
  }
}
