package dev.polyrun.queue.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Names of polyrun's Redis keys under one prefix, laid out for Redis Cluster: every key of one
 * queue (a language, or one shard of a language) carries the queue's hash tag, so that every script
 * and multi-key command a job needs stays in one slot.
 *
 * <p>A queue's tag is eight hex digits of the SHA-256 of its name, and a job's id (a UUID) starts
 * with the tag of its queue: a job's keys are named from its id alone, without a lookup. The
 * queue's own keys also carry the queue's name, so that two queues whose tags collide share a slot
 * but never a key.
 */
public final class Keys {
  /** Consumer group of the workers on each jobs stream. */
  public static final String WORKER_GROUP = "workers";

  /** Separates a language from its shard number in a queue name: {@code python~2}. */
  public static final char SHARD = '~';

  private static final int TAG_LENGTH = 8;

  private final String prefix;

  public Keys(String prefix) {
    this.prefix = prefix;
  }

  /** The queue of {@code language}'s jobs: the language itself, or one of its {@code shards}. */
  public static String queue(String language, int shard, int shards) {
    return shards <= 1 ? language : language + SHARD + shard;
  }

  /** The language a queue holds the jobs of. */
  public static String languageOf(String queue) {
    int at = queue.lastIndexOf(SHARD);
    return at < 0 ? queue : queue.substring(0, at);
  }

  /** A queue's hash tag: eight hex digits, as the first eight characters of its jobs' ids. */
  public static String tag(String queue) {
    return AdmissionKeys.sha256Hex(queue).substring(0, TAG_LENGTH);
  }

  /**
   * A new job id of {@code queue}: a random UUID (version 4 form) that starts with the queue's tag.
   */
  public static String newJobId(String queue) {
    String random = UUID.randomUUID().toString();
    return tag(queue) + random.substring(TAG_LENGTH);
  }

  /** A new job id of a queue chosen among {@code language}'s {@code shards} at random. */
  public static String newJobId(String language, int shards) {
    int shard = shards <= 1 ? 0 : ThreadLocalRandom.current().nextInt(shards);
    return newJobId(queue(language, shard, shards));
  }

  /** The hash tag of a job's keys: the first eight characters of its id (any id works). */
  public static String tagOfJob(String jobId) {
    return jobId.length() >= TAG_LENGTH ? jobId.substring(0, TAG_LENGTH) : jobId;
  }

  private String queueKey(String queue, String what) {
    return prefix + ":{" + tag(queue) + "}:" + what + ":" + queue;
  }

  /** Stream of the ids of {@code queue}'s jobs waiting for workers. */
  public String jobs(String queue) {
    return queueKey(queue, "jobs");
  }

  /** Hash holding one job's record; in its queue's slot. */
  public String job(String jobId) {
    return prefix + ":{" + tagOfJob(jobId) + "}:job:" + jobId;
  }

  /** Stream of one job's events; in its queue's slot, with the job's record. */
  public String events(String jobId) {
    return prefix + ":{" + tagOfJob(jobId) + "}:events:" + jobId;
  }

  /**
   * The keys of a script about one job: its record and its event stream, then {@code more} (keys in
   * the same slot), as the scripts take them.
   */
  public List<byte[]> scriptKeys(String jobId, String... more) {
    List<byte[]> list = new ArrayList<>();
    list.add(bytes(job(jobId)));
    list.add(bytes(events(jobId)));
    for (String key : more) {
      list.add(bytes(key));
    }
    return list;
  }

  /** The job id at the end of a job or events key. */
  public static String jobOfKey(String key) {
    return key.substring(key.lastIndexOf(':') + 1);
  }

  /** Sorted set of the tenants with jobs in {@code queue}'s backlog, by turn. */
  public String backlogTenants(String queue) {
    return queueKey(queue, "backlog");
  }

  /** Prefix of each tenant's backlog list of {@code <submitted ms>:<job id>} in {@code queue}. */
  public String backlogPrefix(String queue) {
    return queueKey(queue, "backlog") + ":";
  }

  /** Counter of {@code queue}'s backlog turns. */
  public String turn(String queue) {
    return queueKey(queue, "turn");
  }

  /** Stream of {@code queue}'s jobs that failed on too many deliveries. */
  public String deadLetters(String queue) {
    return queueKey(queue, "dead");
  }

  /**
   * Set of the queues jobs were submitted to (one key: read by tools and stats, never in a script).
   */
  public String queues() {
    return prefix + ":queues";
  }

  /** Hash of one worker's heartbeat. */
  public String worker(String workerId) {
    return prefix + ":worker:" + workerId;
  }

  /** Hash of language name to the serialized {@code Language} advertised by workers. */
  public String languages() {
    return prefix + ":languages";
  }

  /**
   * Sorted set of the language registry's fields scored by the last time (ms) a worker wrote them.
   */
  public String languagesSeen() {
    return prefix + ":languages:seen";
  }

  /** Sorted set of queue names scored by the last time (ms) a live worker said it reads them. */
  public String served() {
    return prefix + ":served";
  }

  public static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
