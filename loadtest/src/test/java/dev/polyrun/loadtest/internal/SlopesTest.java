package dev.polyrun.loadtest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.polyrun.loadtest.RunReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlopesTest {
  private static List<RunReport.ResourceSample> series(String name, double perMinute, int minutes) {
    List<RunReport.ResourceSample> samples = new ArrayList<>();
    for (int s = 0; s <= minutes * 60; s += 5) {
      samples.add(new RunReport.ResourceSample(s, Map.of(name, 100 + perMinute * s / 60.0)));
    }
    return samples;
  }

  @Test
  void descriptorsGrowingPastTheirSlopeFailTheCheck() {
    List<RunReport.SlopeResult> results =
        new Slopes(List.of()).check(series("worker-1.fds", 3, 5), 60);

    assertThat(results)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.slopePerMinute()).isCloseTo(3, within(1e-9));
              assertThat(r.threshold()).isEqualTo(1.0);
              assertThat(r.ok()).isFalse();
            });
  }

  @Test
  void flatFiguresPass() {
    assertThat(new Slopes(List.of()).check(series("coordinator.threads", 0, 5), 60))
        .singleElement()
        .satisfies(r -> assertThat(r.ok()).isTrue());
  }

  @Test
  void growthDuringTheWarmUpIsNotCounted() {
    List<RunReport.ResourceSample> samples = new ArrayList<>();
    for (int s = 0; s <= 300; s += 5) {
      samples.add(
          new RunReport.ResourceSample(s, Map.of("coordinator.rss_mb", s < 120 ? s * 2.0 : 240.0)));
    }

    assertThat(new Slopes(List.of()).check(samples, 120))
        .singleElement()
        .satisfies(r -> assertThat(r.slopePerMinute()).isCloseTo(0, within(1e-9)));
    assertThat(new Slopes(List.of()).check(samples, 0))
        .singleElement()
        .satisfies(r -> assertThat(r.ok()).isFalse());
  }

  @Test
  void workInFlightDoesNotLookLikeALeakButARisingFloorDoes() {
    java.util.Random random = new java.util.Random(3);
    List<RunReport.ResourceSample> busy = new ArrayList<>();
    List<RunReport.ResourceSample> leaking = new ArrayList<>();
    for (int s = 0; s <= 600; s += 5) {
      // 0 to 4 containers in flight at any sample; the leak adds one left-over container a minute.
      double inFlight = random.nextInt(5) * (s > 300 ? 1 : 0.5);
      busy.add(new RunReport.ResourceSample(s, Map.of("host.runc_containers", inFlight)));
      leaking.add(
          new RunReport.ResourceSample(s, Map.of("host.runc_containers", inFlight + s / 60)));
    }
    Slopes slopes = new Slopes(List.of());

    assertThat(slopes.check(busy, 60, 60))
        .singleElement()
        .satisfies(r -> assertThat(r.ok()).isTrue());
    assertThat(slopes.check(leaking, 60, 60))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.ok()).isFalse();
              assertThat(r.slopePerMinute()).isCloseTo(1, within(0.3));
            });
  }

  @Test
  void overridesComeBeforeDefaultsAndPatternsMatchWholeNames() {
    Slopes slopes = new Slopes(List.of("worker-*.fds=5", "redis.keys=1000"));

    assertThat(slopes.threshold("worker-1.fds")).isEqualTo(5);
    assertThat(slopes.threshold("coordinator.fds")).isEqualTo(1);
    assertThat(slopes.threshold("redis.keys")).isEqualTo(1000);
    assertThat(slopes.threshold("something.else")).isInfinite();
  }

  @Test
  void aBadThresholdNamesItselfAndTheExpectedForm() {
    assertThatThrownBy(() -> new Slopes(List.of("fds:3")))
        .hasMessageContaining("'fds:3'")
        .hasMessageContaining("NAME=MAX_PER_MINUTE");
  }

  @Test
  void aSamplerFedAGrowingSeriesIsCaughtBySamplingAndChecking() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    // Each sample is taken "a minute" later in value terms: 2 more descriptors per sample.
    ResourceSampler leaking = () -> Map.of("worker-1.fds", 10.0 + 2 * calls.getAndIncrement());
    List<RunReport.ResourceSample> samples;
    try (SamplingLoop loop = new SamplingLoop(leaking, Duration.ofMillis(20), System.nanoTime())) {
      while (calls.get() < 12) {
        Thread.sleep(10);
      }
      samples = loop.samples();
    }

    List<RunReport.SlopeResult> results = new Slopes(List.of()).check(samples, 0);

    assertThat(samples).hasSizeGreaterThanOrEqualTo(12);
    assertThat(results).singleElement().satisfies(r -> assertThat(r.ok()).isFalse());
  }
}
