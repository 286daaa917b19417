package dev.polyrun.loadtest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.polyrun.loadtest.Latency;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyTest {
  @Test
  void percentilesOfAHundredValues() {
    List<Double> values = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      values.add((double) i);
    }

    Latency l = Latency.of(values, d -> d);

    assertThat(l.count()).isEqualTo(100);
    assertThat(l.p50()).isCloseTo(50, within(0.1));
    assertThat(l.p90()).isCloseTo(90, within(0.1));
    assertThat(l.p99()).isCloseTo(99, within(0.1));
    assertThat(l.max()).isCloseTo(100, within(0.1));
    assertThat(l.mean()).isCloseTo(50.5, within(0.1));
  }

  @Test
  void nanValuesAreSkippedAndNoValuesGiveNan() {
    assertThat(Latency.of(List.of(Double.NaN, 5.0), d -> d).count()).isEqualTo(1);
    assertThat(Latency.of(List.<Double>of(), d -> d).p50()).isNaN();
  }
}
