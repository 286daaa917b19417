package dev.polyrun.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.config.StageLimit;
import dev.polyrun.config.StageLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageSpecTest {
  private static final StageLimits LIMITS =
      new StageLimits(
          Duration.ofSeconds(2), Duration.ofSeconds(5), 256L << 20, 32, 1 << 20, 16 << 20);

  private static StageSpec spec(StageLimits limits) {
    return new StageSpec(
        "job-run", Path.of("/"), null, List.of("true"), Map.of(), new byte[0], limits, () -> false);
  }

  @Test
  void aStageRunsUnderEveryOneOfItsLimitsOrIsRefused() {
    assertThat(spec(LIMITS).limits()).isEqualTo(LIMITS);
    assertThatThrownBy(() -> spec(LIMITS.with(StageLimit.OUTPUT, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stage job-run limits: output_bytes is 0 (expected: every limit set, > 0)");
  }
}
