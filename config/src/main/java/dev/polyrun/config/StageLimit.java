package dev.polyrun.config;

/**
 * One of the six limits of a stage, with the names it goes by: the key of settings, tenants files
 * and the CLI ({@code memory}), the contract's field ({@code memory_bytes}) and its JSON name in
 * language definitions ({@code memoryBytes}). A value of a limit is a whole number in the
 * contract's unit: milliseconds for the times, bytes for the sizes, a count for processes.
 */
public enum StageLimit {
  /** cpu time of all the stage's processes together, milliseconds. */
  CPU_TIME("cpu-time", "cpu_time_ms", "cpuTimeMs", Kind.DURATION),
  /** wall-clock time from the program's start, milliseconds. */
  WALL_TIME("wall-time", "wall_time_ms", "wallTimeMs", Kind.DURATION),
  /** memory including swap of all the stage's processes together, bytes. */
  MEMORY("memory", "memory_bytes", "memoryBytes", Kind.SIZE),
  /** processes and threads at once. */
  PROCESSES("processes", "max_processes", "maxProcesses", Kind.COUNT),
  /** stdout plus stderr before the stage is stopped, bytes. */
  OUTPUT("output", "output_bytes", "outputBytes", Kind.SIZE),
  /** largest file a process may write (RLIMIT_FSIZE), bytes. */
  FILE_SIZE("file-size", "file_size_bytes", "fileSizeBytes", Kind.SIZE);

  private enum Kind {
    DURATION,
    SIZE,
    COUNT
  }

  private final String key;
  private final String field;
  private final String jsonName;
  private final Kind kind;

  StageLimit(String key, String field, String jsonName, Kind kind) {
    this.key = key;
    this.field = field;
    this.jsonName = jsonName;
    this.kind = kind;
  }

  /** The key in settings, tenants files and the CLI's config, e.g. {@code file-size}. */
  public String key() {
    return key;
  }

  /** The contract's field, e.g. {@code file_size_bytes}; violations are reported under it. */
  public String field() {
    return field;
  }

  /** The JSON name, e.g. {@code fileSizeBytes}, of language definitions and profiles. */
  public String jsonName() {
    return jsonName;
  }

  /** The largest value the limit can hold: processes are an int32 in the contract. */
  public long largest() {
    return kind == Kind.COUNT ? Integer.MAX_VALUE : Long.MAX_VALUE;
  }

  /**
   * A value of this limit written as people write it ({@link Quantities}): a duration such as
   * {@code 2s} for the times, a size such as {@code 256m} for the sizes, a whole number for
   * processes. Zero is refused: a limit that is set is above zero.
   *
   * @param name what the value is, for the error message, e.g. {@code coordinator.limits.memory}
   * @return the value in the contract's unit (see the class comment)
   * @throws IllegalArgumentException naming {@code name}, the text and the expected form
   */
  public long parse(String name, String text) {
    return switch (kind) {
      case DURATION -> Quantities.positiveDuration(name, text).toMillis();
      case SIZE -> Quantities.positiveSize(name, text);
      case COUNT -> Quantities.integer(name, text, 1, Integer.MAX_VALUE);
    };
  }
}
