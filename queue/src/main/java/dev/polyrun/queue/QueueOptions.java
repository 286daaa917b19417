package dev.polyrun.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * Names and lifetimes of polyrun's Redis keys. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults: key prefix {@code polyrun}, job and event retention 1 hour after the last change,
 * language registry entries 60 s after the last worker heartbeat, a 30 s lease, 3 deliveries before
 * a job is dead-lettered, 24 hours for the record of a job that has not started, and submissions
 * acknowledged once Redis applied them ({@link Durability#memory()}), one queue per language.
 */
public final class QueueOptions {
  private final String keyPrefix;
  private final Duration jobTtl;
  private final Duration languagesTtl;
  private final Duration lease;
  private final int maxDeliveries;
  private final Duration queuedTtl;
  private final Durability durability;
  private final int shards;

  private QueueOptions(Builder b) {
    this.shards = b.shards;
    this.durability = b.durability;
    this.queuedTtl = b.queuedTtl;
    this.lease = b.lease;
    this.maxDeliveries = b.maxDeliveries;
    this.keyPrefix = b.keyPrefix;
    this.jobTtl = b.jobTtl;
    this.languagesTtl = b.languagesTtl;
  }

  public static QueueOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Prefix of every key polyrun writes; lets several clusters share one Redis. */
  public String keyPrefix() {
    return keyPrefix;
  }

  /** How long a job's record and events stay readable after the job's last change. */
  public Duration jobTtl() {
    return jobTtl;
  }

  /** How long a language stays listed after the last worker that runs it reported in. */
  public Duration languagesTtl() {
    return languagesTtl;
  }

  /**
   * How long the record of a job that has not started yet is kept: a waiting job must not expire
   * before it runs. At least {@link #jobTtl()}.
   */
  public Duration queuedTtl() {
    return queuedTtl.compareTo(jobTtl) < 0 ? jobTtl : queuedTtl;
  }

  /**
   * How long a delivery stays with its worker without a renewal before another worker takes it
   * over. Workers renew every third of it.
   */
  public Duration lease() {
    return lease;
  }

  /** Deliveries of one job before it goes to the dead-letter stream and ends as INTERNAL_ERROR. */
  public int maxDeliveries() {
    return maxDeliveries;
  }

  /** What a submission waits for before it is acknowledged; see {@link Durability}. */
  public Durability durability() {
    return durability;
  }

  /**
   * How many queues each language's jobs are spread over (default 1). Each queue is one Redis
   * Cluster slot, so shards spread a busy language over the cluster's masters; coordinators and
   * workers must agree on it.
   */
  public int shards() {
    return shards;
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    return builder()
        .keyPrefix(keyPrefix)
        .jobTtl(jobTtl)
        .languagesTtl(languagesTtl)
        .lease(lease)
        .maxDeliveries(maxDeliveries)
        .queuedTtl(queuedTtl)
        .durability(durability)
        .shards(shards);
  }

  /** Builder with the documented defaults. */
  public static final class Builder {
    private String keyPrefix = "polyrun";
    private Duration jobTtl = Duration.ofHours(1);
    private Duration languagesTtl = Duration.ofSeconds(60);
    private Duration lease = Duration.ofSeconds(30);
    private int maxDeliveries = 3;
    private Duration queuedTtl = Duration.ofHours(24);
    private Durability durability = Durability.memory();
    private int shards = 1;

    private Builder() {}

    /** Queues per language, 1..64; default 1. See {@link QueueOptions#shards()}. */
    public Builder shards(int shards) {
      if (shards < 1 || shards > 64) {
        throw new IllegalArgumentException("queue shards: " + shards + " (expected: 1..64)");
      }
      this.shards = shards;
      return this;
    }

    /**
     * What a submission waits for before it is acknowledged; default {@link Durability#memory()}.
     */
    public Builder durability(Durability durability) {
      this.durability = Objects.requireNonNull(durability, "durability");
      return this;
    }

    public Builder queuedTtl(Duration queuedTtl) {
      this.queuedTtl = positive("queued ttl", queuedTtl);
      return this;
    }

    public Builder lease(Duration lease) {
      this.lease = positive("lease", lease);
      return this;
    }

    public Builder maxDeliveries(int maxDeliveries) {
      if (maxDeliveries < 1 || maxDeliveries > 100) {
        throw new IllegalArgumentException(
            "max deliveries: " + maxDeliveries + " (expected: 1..100)");
      }
      this.maxDeliveries = maxDeliveries;
      return this;
    }

    public Builder keyPrefix(String keyPrefix) {
      Objects.requireNonNull(keyPrefix, "keyPrefix");
      if (!keyPrefix.matches("[A-Za-z0-9_.-]{1,64}")) {
        throw new IllegalArgumentException(
            "key prefix: '" + keyPrefix + "' (expected: 1-64 of [A-Za-z0-9_.-])");
      }
      this.keyPrefix = keyPrefix;
      return this;
    }

    public Builder jobTtl(Duration jobTtl) {
      this.jobTtl = positive("job ttl", jobTtl);
      return this;
    }

    public Builder languagesTtl(Duration languagesTtl) {
      this.languagesTtl = positive("languages ttl", languagesTtl);
      return this;
    }

    public QueueOptions build() {
      return new QueueOptions(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.toMillis() < 1000) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: >= 1s)");
      }
      return d;
    }
  }
}
