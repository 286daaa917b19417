package dev.polyrun.coordinator.internal;

import dev.polyrun.proto.v1.Language;
import dev.polyrun.queue.JobQueue;
import java.time.Duration;
import java.util.List;

/**
 * The advertised languages, re-read from Redis at most every two seconds. Thread-safe, blocking.
 */
final class LanguageCache {
  private static final long MAX_AGE_NANOS = Duration.ofSeconds(2).toNanos();
  private final JobQueue queue;
  private volatile List<Language> languages = List.of();
  private volatile java.util.Set<String> served = java.util.Set.of();
  private volatile long readAt;

  LanguageCache(JobQueue queue) {
    this.queue = queue;
  }

  List<Language> get() {
    long now = System.nanoTime();
    if (readAt == 0 || now - readAt > MAX_AGE_NANOS || languages.isEmpty()) {
      languages = queue.languages();
      served = queue.servedQueues();
      readAt = now;
    }
    return languages;
  }

  /**
   * Whether a live worker reads the queue {@code queueName} (a language's, or one version's; as of
   * the last read, at most two seconds ago).
   */
  boolean served(String queueName) {
    get();
    if (served.contains(queueName)) {
      return true;
    }
    // a worker that just started: look again now rather than refuse on a stale read
    served = queue.servedQueues();
    return served.contains(queueName);
  }
}
