package dev.polyrun.coordinator;

import java.time.Duration;
import java.util.Objects;

/**
 * When the coordinator refuses new submissions to protect the queue: a refused submission gets
 * RESOURCE_EXHAUSTED at once, with {@code retryDelay} as its google.rpc.RetryInfo, instead of
 * waiting in a queue it would time out in.
 *
 * @param maxQueueDepth jobs waiting for a worker above which submissions are refused (default 10
 *     000; 0 turns the check off)
 * @param maxQueueAge wait of the oldest waiting job above which submissions are refused (default 2
 *     minutes; zero turns the check off)
 * @param retryDelay the retry delay sent with a refusal (default 5 s)
 * @param quotaRetryDelay the retry delay sent when a tenant has its most jobs queued or running
 *     (default 1 s); a refusal for the submission rate says exactly when a submission is allowed
 */
public record AdmissionOptions(
    long maxQueueDepth, Duration maxQueueAge, Duration retryDelay, Duration quotaRetryDelay) {

  public AdmissionOptions {
    if (maxQueueDepth < 0) {
      throw new IllegalArgumentException(
          "max queue depth: " + maxQueueDepth + " (expected: >= 0, 0 for no limit)");
    }
    notNegative("max queue age", maxQueueAge);
    notNegative("retry delay", retryDelay);
    notNegative("quota retry delay", quotaRetryDelay);
  }

  /** The documented defaults. */
  public static AdmissionOptions defaults() {
    return new AdmissionOptions(
        10_000, Duration.ofMinutes(2), Duration.ofSeconds(5), Duration.ofSeconds(1));
  }

  private static void notNegative(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + ": " + d + " (expected: >= 0)");
    }
  }
}
