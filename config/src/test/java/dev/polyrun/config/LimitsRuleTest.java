package dev.polyrun.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.config.LimitsRule.Resolution;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsRuleTest {
  private static final StageLimits DEFAULTS =
      new StageLimits(
          Duration.ofSeconds(5), Duration.ofSeconds(10), 256L << 20, 32, 1 << 20, 16 << 20);
  private static final StageLimits MAXIMA =
      new StageLimits(
          Duration.ofSeconds(60), Duration.ofSeconds(120), 2L << 30, 512, 64L << 20, 256L << 20);

  private static Resolution resolve(
      Map<StageLimit, Long> requested, StageLimits defaults, boolean clamp) {
    return LimitsRule.resolve(l -> requested.getOrDefault(l, 0L), defaults, MAXIMA, clamp);
  }

  @Test
  void theRequestWinsWhereItSetsALimitAndTheDefaultFillsTheRest() {
    Resolution r =
        resolve(Map.of(StageLimit.MEMORY, 64L << 20, StageLimit.WALL_TIME, 2000L), DEFAULTS, false);

    assertThat(r.refusals()).isEmpty();
    assertThat(r.limits())
        .isEqualTo(
            new StageLimits(
                Duration.ofSeconds(5), Duration.ofSeconds(2), 64L << 20, 32, 1 << 20, 16 << 20));
  }

  @Test
  void aLimitUnsetInTheRequestAndTheDefaultsStaysUnset() {
    Resolution r = resolve(Map.of(StageLimit.CPU_TIME, 1000L), StageLimits.UNSET, false);

    assertThat(r.limits()).isEqualTo(StageLimits.UNSET.with(StageLimit.CPU_TIME, 1000));
  }

  @Test
  void aRequestAboveItsMaximumIsRefusedNamingTheValueAndTheRange() {
    Resolution r = resolve(Map.of(StageLimit.MEMORY, 17179869184L), DEFAULTS, false);

    assertThat(r.refusals())
        .singleElement()
        .satisfies(
            refusal -> {
              assertThat(refusal.limit()).isEqualTo(StageLimit.MEMORY);
              assertThat(refusal.aboveMaximum()).isTrue();
              assertThat(refusal.message())
                  .isEqualTo(
                      "17179869184 (expected: 0 for the default, or 1..2147483648),"
                          + " or set clamp_limits to lower it to the maximum");
            });
    assertThat(r.limits().isSet(StageLimit.MEMORY)).as("refused: left unset").isFalse();
    assertThatThrownBy(() -> r.orThrow("run_limits"))
        .hasMessage(
            "run_limits.memory_bytes: 17179869184"
                + " (expected: 0 for the default, or 1..2147483648), or set clamp_limits to lower it to the maximum");
  }

  @Test
  void clampingLowersARequestToItsMaximum() {
    Resolution r = resolve(Map.of(StageLimit.MEMORY, 17179869184L), DEFAULTS, true);

    assertThat(r.refusals()).isEmpty();
    assertThat(r.limits().memoryBytes()).isEqualTo(2L << 30);
  }

  @Test
  void aDefaultAboveItsMaximumIsLoweredWithoutARefusal() {
    Resolution r = resolve(Map.of(), DEFAULTS.with(StageLimit.PROCESSES, 10_000), false);

    assertThat(r.refusals()).isEmpty();
    assertThat(r.limits().maxProcesses()).isEqualTo(512);
  }

  @Test
  void negativeRequestsAreRefusedEvenWhenClampingInLimitOrder() {
    Resolution r =
        resolve(Map.of(StageLimit.FILE_SIZE, -1L, StageLimit.CPU_TIME, -5L), DEFAULTS, true);

    assertThat(r.refusals())
        .extracting(LimitsRule.Refusal::limit)
        .containsExactly(StageLimit.CPU_TIME, StageLimit.FILE_SIZE);
    assertThat(r.refusals().get(0).aboveMaximum()).isFalse();
    assertThat(r.refusals().get(0).message())
        .isEqualTo("-5 (expected: 0 for the default, or 1..60000)");
  }

  @Test
  void withoutMaximaTheRuleOnlyFillsFromTheDefaults() {
    Resolution r =
        LimitsRule.resolve(
            l -> l == StageLimit.MEMORY ? 17179869184L : 0, DEFAULTS, StageLimits.UNSET, false);

    assertThat(r.orThrow("run_limits")).isEqualTo(DEFAULTS.with(StageLimit.MEMORY, 17179869184L));
    assertThatThrownBy(
            () ->
                LimitsRule.resolve(l -> -1, DEFAULTS, StageLimits.UNSET, false)
                    .orThrow("run_limits"))
        .hasMessageStartingWith(
            "run_limits.cpu_time_ms: -1 (expected: 0 for the default, or >= 1); "
                + "run_limits.wall_time_ms: -1");
  }
}
