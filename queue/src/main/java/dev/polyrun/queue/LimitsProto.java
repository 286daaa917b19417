package dev.polyrun.queue;

import dev.polyrun.config.StageLimit;
import dev.polyrun.config.StageLimits;
import dev.polyrun.proto.v1.Limits;

/**
 * The one conversion between the contract's {@link Limits} and {@link StageLimits}, used by the
 * coordinator and the worker alike. Zero means unset on both sides, so a round trip keeps every
 * field, set or not.
 */
public final class LimitsProto {
  private LimitsProto() {}

  /** The contract's message of {@code limits}; an unset limit is a zero field. */
  public static Limits toProto(StageLimits limits) {
    return Limits.newBuilder()
        .setCpuTimeMs(limits.get(StageLimit.CPU_TIME))
        .setWallTimeMs(limits.get(StageLimit.WALL_TIME))
        .setMemoryBytes(limits.get(StageLimit.MEMORY))
        .setMaxProcesses(limits.maxProcesses())
        .setOutputBytes(limits.get(StageLimit.OUTPUT))
        .setFileSizeBytes(limits.get(StageLimit.FILE_SIZE))
        .build();
  }

  /**
   * The limits of the contract's message; a zero field is unset.
   *
   * @throws IllegalArgumentException naming a negative field, which only a request not yet checked
   *     can hold ({@link dev.polyrun.config.LimitsRule} refuses them)
   */
  public static StageLimits fromProto(Limits limits) {
    return StageLimits.of(limit -> get(limits, limit));
  }

  /** The field of {@code limit} in the message as sent, in the contract's unit; may be negative. */
  public static long get(Limits limits, StageLimit limit) {
    return switch (limit) {
      case CPU_TIME -> limits.getCpuTimeMs();
      case WALL_TIME -> limits.getWallTimeMs();
      case MEMORY -> limits.getMemoryBytes();
      case PROCESSES -> limits.getMaxProcesses();
      case OUTPUT -> limits.getOutputBytes();
      case FILE_SIZE -> limits.getFileSizeBytes();
    };
  }
}
