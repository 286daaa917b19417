package dev.polyrun.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class StageLimitsTest {
  private static final StageLimits FULL =
      new StageLimits(
          Duration.ofSeconds(2), Duration.ofSeconds(5), 256L << 20, 32, 1 << 20, 16 << 20);

  @Test
  void eachLimitIsReadInTheContractsUnit() {
    assertThat(FULL.get(StageLimit.CPU_TIME)).isEqualTo(2000);
    assertThat(FULL.get(StageLimit.WALL_TIME)).isEqualTo(5000);
    assertThat(FULL.get(StageLimit.MEMORY)).isEqualTo(256L << 20);
    assertThat(FULL.get(StageLimit.PROCESSES)).isEqualTo(32);
    assertThat(FULL.get(StageLimit.OUTPUT)).isEqualTo(1 << 20);
    assertThat(FULL.get(StageLimit.FILE_SIZE)).isEqualTo(16 << 20);
  }

  @Test
  void limitsBuiltFromTheirValuesAreTheSameLimits() {
    assertThat(StageLimits.of(FULL::get)).isEqualTo(FULL);
  }

  @ParameterizedTest
  @EnumSource(StageLimit.class)
  void aLimitOfZeroIsUnsetAndFilledFromTheFallback(StageLimit limit) {
    StageLimits partial = FULL.with(limit, 0);

    assertThat(partial.isSet(limit)).isFalse();
    assertThat(partial.isComplete()).isFalse();
    assertThat(partial.orElse(StageLimits.UNSET.with(limit, 7)).get(limit)).isEqualTo(7);
    assertThat(FULL.orElse(StageLimits.UNSET.with(limit, 7))).as("set limits win").isEqualTo(FULL);
  }

  @ParameterizedTest
  @EnumSource(StageLimit.class)
  void theSandboxsCompleteLimitsNameTheLimitLeftUnset(StageLimit limit) {
    assertThat(FULL.requireComplete("stage run")).isSameAs(FULL);
    assertThatThrownBy(() -> FULL.with(limit, 0).requireComplete("stage run"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stage run: " + limit.field() + " is 0 (expected: every limit set, > 0)");
  }

  @Test
  void theSmallerMaximumAppliesAndAnUnsetOneBoundsNothing() {
    StageLimits tenant =
        StageLimits.UNSET.with(StageLimit.MEMORY, 64L << 20).with(StageLimit.PROCESSES, 64);

    StageLimits applied = FULL.min(tenant);

    assertThat(applied.memoryBytes()).isEqualTo(64L << 20);
    assertThat(applied.maxProcesses()).as("the server's is smaller").isEqualTo(32);
    assertThat(applied.cpuTime()).as("left out by the tenant").isEqualTo(FULL.cpuTime());
    assertThat(tenant.min(FULL)).isEqualTo(applied);
  }

  @ParameterizedTest
  @CsvSource({"cpu_time_ms, -1", "max_processes, -3", "file_size_bytes, -1"})
  void negativeValuesAreRefusedNamingTheField(String field, long value) {
    StageLimit limit =
        java.util.Arrays.stream(StageLimit.values())
            .filter(l -> l.field().equals(field))
            .findFirst()
            .orElseThrow();
    assertThatThrownBy(() -> StageLimits.of(l -> l == limit ? value : 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(field + ": " + value + " (expected: >= 0, where 0 is unset)");
  }

  @Test
  void processesBeyondTheContractsInt32AreRefused() {
    assertThatThrownBy(() -> StageLimits.UNSET.with(StageLimit.PROCESSES, 1L << 31))
        .hasMessage("max_processes: 2147483648 (expected: <= 2147483647)");
  }

  @Test
  void timesAreWholeMilliseconds() {
    assertThatThrownBy(
            () -> new StageLimits(Duration.ofNanos(1_500_000), Duration.ZERO, 0, 0, 0, 0))
        .hasMessage("cpu_time_ms: PT0.0015S (expected: whole milliseconds, >= 0)");
  }

  @ParameterizedTest
  @CsvSource({
    "CPU_TIME, 1.5s, 1500",
    "WALL_TIME, 2m, 120000",
    "MEMORY, 256m, 268435456",
    "PROCESSES, 64, 64",
    "OUTPUT, 64k, 65536",
    "FILE_SIZE, 1g, 1073741824"
  })
  void aLimitIsWrittenInTheOneGrammarOfQuantities(StageLimit limit, String text, long value) {
    assertThat(limit.parse("x", text)).isEqualTo(value);
  }

  @ParameterizedTest
  @CsvSource({
    "CPU_TIME, 0s, 'limits.cpu-time: ''0s'' (expected: a duration like 500ms, 2s, 5m, 1h, of at least 1ms)'",
    "MEMORY, 0, 'limits.memory: ''0'' (expected: a size like 256m, 1g, 64k, above zero)'",
    "MEMORY, lots, 'limits.memory: ''lots'' (expected: a size like 256m, 1g, 64k)'",
    "PROCESSES, 0, 'limits.processes: ''0'' (expected: an integer from 1 to 2147483647)'"
  })
  void aLimitThatIsWrittenIsAboveZero(StageLimit limit, String text, String message) {
    assertThatThrownBy(() -> limit.parse("limits." + limit.key(), text)).hasMessage(message);
  }
}
