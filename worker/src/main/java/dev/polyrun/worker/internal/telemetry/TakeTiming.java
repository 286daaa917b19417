package dev.polyrun.worker.internal.telemetry;

/**
 * When the slot thread's last take began and returned (epoch nanoseconds): a slot takes a job and
 * runs it on the same thread, so the job's claim span is cut from these.
 */
record TakeTiming(long startedEpochNanos, long endedEpochNanos) {
  private static final ThreadLocal<TakeTiming> LAST = new ThreadLocal<>();

  static void record(TakeTiming timing) {
    LAST.set(timing);
  }

  /** The last take of this thread, or one that ends now when there was none. */
  static TakeTiming last() {
    TakeTiming t = LAST.get();
    if (t == null) {
      long now = EpochNanos.now();
      return new TakeTiming(now, now);
    }
    return t;
  }
}
