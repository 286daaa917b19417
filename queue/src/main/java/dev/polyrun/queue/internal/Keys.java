package dev.polyrun.queue.internal;

import java.nio.charset.StandardCharsets;

/** Names of polyrun's Redis keys under one prefix. */
public final class Keys {
  /** Consumer group of the workers on the jobs stream. */
  public static final String WORKER_GROUP = "workers";

  private final String prefix;

  public Keys(String prefix) {
    this.prefix = prefix;
  }

  /** Stream of job ids waiting for workers. */
  public String jobs() {
    return prefix + ":jobs";
  }

  /** Hash holding one job's record. */
  public String job(String jobId) {
    return prefix + ":job:{" + jobId + "}";
  }

  /** Stream of one job's events; shares a cluster slot with the job's record. */
  public String events(String jobId) {
    return prefix + ":events:{" + jobId + "}";
  }

  /** Sorted set of the tenants with jobs in their backlog, by turn. */
  public String backlogTenants() {
    return prefix + ":backlog";
  }

  /** Prefix of each tenant's backlog list of {@code <submitted ms>:<job id>}. */
  public String backlogPrefix() {
    return prefix + ":backlog:";
  }

  /** Counter of backlog turns. */
  public String turn() {
    return prefix + ":turn";
  }

  /** Stream of jobs that failed on too many deliveries. */
  public String deadLetters() {
    return prefix + ":dead";
  }

  /** Hash of one worker's heartbeat. */
  public String worker(String workerId) {
    return prefix + ":worker:" + workerId;
  }

  /** Hash of language name to the serialized {@code Language} advertised by workers. */
  public String languages() {
    return prefix + ":languages";
  }

  public static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
