package dev.polyrun.queue.internal;

import dev.polyrun.proto.v1.JobState;

/**
 * How a job's state is spelled in Redis ({@code QUEUED}, {@code DONE}, ...). The Lua scripts
 * compare these words, so the stored spelling stays fixed whatever the contract's enum names
 * become.
 */
public final class StoredState {
  private static final String PREFIX = "JOB_STATE_";

  private StoredState() {}

  /** The stored word of {@code state}, e.g. {@code RUNNING}. */
  public static String of(JobState state) {
    String name = state.name();
    return name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
  }

  /** The state a stored word names; throws IllegalArgumentException for an unknown word. */
  public static JobState parse(String stored) {
    return JobState.valueOf(PREFIX + stored);
  }
}
