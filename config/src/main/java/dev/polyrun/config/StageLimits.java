package dev.polyrun.config;

import java.time.Duration;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * The six limits of one stage (compile, run, or a test case's run): a language's defaults, the
 * server's and a tenant's maxima, a request's limits once resolved, and what the sandbox enforces.
 * A limit of zero is unset: the next source fills it ({@link #orElse}), and an unset maximum bounds
 * nothing ({@link #min}). The sandbox takes only complete limits ({@link #requireComplete}). The
 * contract's {@code Limits} message is converted to and from this type in one place ({@code
 * dev.polyrun.queue.LimitsProto}); {@link LimitsRule} resolves a request's limits.
 *
 * @param cpuTime cpu time of all the stage's processes together, whole milliseconds
 * @param wallTime wall-clock time from the program's start, whole milliseconds
 * @param memoryBytes memory including swap of all processes together, bytes
 * @param maxProcesses processes and threads at once
 * @param outputBytes stdout and stderr bytes together before the stage is stopped
 * @param fileSizeBytes largest file a process may write, bytes (RLIMIT_FSIZE)
 */
public record StageLimits(
    Duration cpuTime,
    Duration wallTime,
    long memoryBytes,
    int maxProcesses,
    long outputBytes,
    long fileSizeBytes) {
  /** No limit set. */
  public static final StageLimits UNSET = new StageLimits(Duration.ZERO, Duration.ZERO, 0, 0, 0, 0);

  /**
   * Limits with these values; zero leaves a limit unset.
   *
   * @throws IllegalArgumentException naming a negative value, or a time that is not whole
   *     milliseconds
   */
  public StageLimits {
    wholeMillis(StageLimit.CPU_TIME, Objects.requireNonNull(cpuTime, "cpuTime"));
    wholeMillis(StageLimit.WALL_TIME, Objects.requireNonNull(wallTime, "wallTime"));
    notNegative(StageLimit.MEMORY, memoryBytes);
    notNegative(StageLimit.PROCESSES, maxProcesses);
    notNegative(StageLimit.OUTPUT, outputBytes);
    notNegative(StageLimit.FILE_SIZE, fileSizeBytes);
  }

  /**
   * The limits whose values {@code value} gives, each in the contract's unit ({@link StageLimit}).
   *
   * @throws IllegalArgumentException naming a value that is negative or too large for its limit
   */
  public static StageLimits of(ToLongFunction<StageLimit> value) {
    long[] v = new long[StageLimit.values().length];
    for (StageLimit limit : StageLimit.values()) {
      v[limit.ordinal()] = value.applyAsLong(limit);
      if (v[limit.ordinal()] > limit.largest()) {
        throw new IllegalArgumentException(
            limit.field() + ": " + v[limit.ordinal()] + " (expected: <= " + limit.largest() + ")");
      }
    }
    return new StageLimits(
        Duration.ofMillis(notNegative(StageLimit.CPU_TIME, v[StageLimit.CPU_TIME.ordinal()])),
        Duration.ofMillis(notNegative(StageLimit.WALL_TIME, v[StageLimit.WALL_TIME.ordinal()])),
        v[StageLimit.MEMORY.ordinal()],
        (int) v[StageLimit.PROCESSES.ordinal()],
        v[StageLimit.OUTPUT.ordinal()],
        v[StageLimit.FILE_SIZE.ordinal()]);
  }

  /** The value of {@code limit} in the contract's unit; zero when unset. */
  public long get(StageLimit limit) {
    return switch (limit) {
      case CPU_TIME -> cpuTime.toMillis();
      case WALL_TIME -> wallTime.toMillis();
      case MEMORY -> memoryBytes;
      case PROCESSES -> maxProcesses;
      case OUTPUT -> outputBytes;
      case FILE_SIZE -> fileSizeBytes;
    };
  }

  /** These limits with {@code limit} set to {@code value} (zero unsets it). */
  public StageLimits with(StageLimit limit, long value) {
    return of(l -> l == limit ? value : get(l));
  }

  /** Whether {@code limit} is set (above zero). */
  public boolean isSet(StageLimit limit) {
    return get(limit) > 0;
  }

  /** Whether every limit is set. */
  public boolean isComplete() {
    for (StageLimit limit : StageLimit.values()) {
      if (!isSet(limit)) {
        return false;
      }
    }
    return true;
  }

  /**
   * These limits, when every one is set.
   *
   * @param what what the limits are, for the error message, e.g. {@code "stage run"}
   * @throws IllegalArgumentException naming the first limit that is unset
   */
  public StageLimits requireComplete(String what) {
    for (StageLimit limit : StageLimit.values()) {
      if (!isSet(limit)) {
        throw new IllegalArgumentException(
            what + ": " + limit.field() + " is 0 (expected: every limit set, > 0)");
      }
    }
    return this;
  }

  /** Each limit from these where set, else from {@code fallback}. */
  public StageLimits orElse(StageLimits fallback) {
    return of(l -> isSet(l) ? get(l) : fallback.get(l));
  }

  /**
   * The smaller of this and {@code other}, limit by limit, reading these as maxima: an unset
   * maximum bounds nothing, so the other's applies.
   */
  public StageLimits min(StageLimits other) {
    return of(
        l -> !isSet(l) ? other.get(l) : !other.isSet(l) ? get(l) : Math.min(get(l), other.get(l)));
  }

  private static void wholeMillis(StageLimit limit, Duration d) {
    notNegative(limit, d.toMillis());
    if (!d.equals(Duration.ofMillis(d.toMillis()))) {
      throw new IllegalArgumentException(
          limit.field() + ": " + d + " (expected: whole milliseconds, >= 0)");
    }
  }

  private static long notNegative(StageLimit limit, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(
          limit.field() + ": " + value + " (expected: >= 0, where 0 is unset)");
    }
    return value;
  }
}
