package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.config.StageLimit;
import dev.polyrun.config.StageLimits;
import dev.polyrun.proto.v1.Limits;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LimitsProtoTest {
  // every field a different value, so a field mapped to another would show
  private static final StageLimits LIMITS =
      new StageLimits(
          Duration.ofMillis(1500), Duration.ofMillis(4000), 256L << 20, 48, 3 << 20, 5 << 20);
  private static final Limits PROTO =
      Limits.newBuilder()
          .setCpuTimeMs(1500)
          .setWallTimeMs(4000)
          .setMemoryBytes(256L << 20)
          .setMaxProcesses(48)
          .setOutputBytes(3 << 20)
          .setFileSizeBytes(5 << 20)
          .build();

  @Test
  void everyFieldMapsToItsLimitBothWays() {
    assertThat(LimitsProto.toProto(LIMITS)).isEqualTo(PROTO);
    assertThat(LimitsProto.fromProto(PROTO)).isEqualTo(LIMITS);
  }

  @ParameterizedTest
  @EnumSource(StageLimit.class)
  void anUnsetLimitIsAZeroFieldAndSurvivesTheRoundTrip(StageLimit limit) {
    StageLimits partial = LIMITS.with(limit, 0);

    Limits proto = LimitsProto.toProto(partial);

    assertThat(LimitsProto.get(proto, limit)).isZero();
    assertThat(proto).isNotEqualTo(PROTO);
    assertThat(LimitsProto.fromProto(proto)).isEqualTo(partial);
    assertThat(LimitsProto.fromProto(proto).isSet(limit)).isFalse();
  }

  @Test
  void noFieldsAreNoLimits() {
    assertThat(LimitsProto.fromProto(Limits.getDefaultInstance())).isEqualTo(StageLimits.UNSET);
    assertThat(LimitsProto.toProto(StageLimits.UNSET)).isEqualTo(Limits.getDefaultInstance());
  }

  @Test
  void aNegativeFieldIsReadAsSentButIsNoLimit() {
    Limits negative = PROTO.toBuilder().setOutputBytes(-5).build();

    assertThat(LimitsProto.get(negative, StageLimit.OUTPUT)).isEqualTo(-5);
    assertThatThrownBy(() -> LimitsProto.fromProto(negative))
        .hasMessage("output_bytes: -5 (expected: >= 0, where 0 is unset)");
  }
}
