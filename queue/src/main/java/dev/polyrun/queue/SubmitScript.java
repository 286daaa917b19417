package dev.polyrun.queue;

import static dev.polyrun.queue.internal.Keys.bytes;

import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.StateChange;
import dev.polyrun.queue.internal.AdmissionKeys;
import dev.polyrun.queue.internal.Keys;
import dev.polyrun.queue.internal.LuaScript;
import dev.polyrun.queue.internal.RedisCalls;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.UnifiedJedis;

/**
 * Stores a submission in two scripts, each within one Redis Cluster slot: {@code reserve.lua} in
 * the tenant's slot (idempotency key, quotas, admission) and {@code create.lua} in the queue's slot
 * (record, QUEUED event, stream or backlog entry); a submission with an idempotency key then marks
 * its key stored. A retry that finds its key bound but not marked stores the job (once: the create
 * script leaves an existing record alone), so a coordinator that stops between the steps leaves
 * nothing a retry cannot finish.
 */
final class SubmitScript {
  private static final LuaScript RESERVE = LuaScript.load("reserve");
  private static final LuaScript CREATE = LuaScript.load("create");
  private static final byte[] QUEUED =
      JobEvent.newBuilder()
          .setState(StateChange.newBuilder().setState(JobState.JOB_STATE_QUEUED).setAttempt(0))
          .build()
          .toByteArray();
  private static final byte[] ONE = bytes("1");
  private static final byte[] ZERO = bytes("0");

  private final UnifiedJedis redis;
  private final Keys keys;
  private final AdmissionKeys tenantKeys;
  private final Clock clock;
  private final Durability durability;
  private final int shards;
  private final Duration recordLife;
  private final byte[] queuedTtl;
  private final byte[] activeSetTtl;

  /** Queues this process has listed in the queues set (listed once per process, not per job). */
  private final Set<String> listed = ConcurrentHashMap.newKeySet();

  SubmitScript(
      UnifiedJedis redis, Keys keys, AdmissionKeys tenantKeys, QueueOptions options, Clock clock) {
    this.redis = redis;
    this.keys = keys;
    this.tenantKeys = tenantKeys;
    this.clock = clock;
    this.durability = options.durability();
    this.shards = options.shards();
    // the longest a job's record lives: waiting, then a run as long as the retention, then the
    // retention
    this.recordLife = options.queuedTtl().plus(options.jobTtl()).plus(options.jobTtl());
    this.queuedTtl = bytes(Long.toString(options.queuedTtl().toMillis()));
    // the active set outlives the records of the jobs it counts, waiting or started
    Duration longest =
        options.queuedTtl().compareTo(options.jobTtl()) > 0
            ? options.queuedTtl()
            : options.jobTtl();
    this.activeSetTtl = bytes(Long.toString(longest.plusMinutes(1).toMillis()));
  }

  SubmitOutcome run(Submission s) {
    String jobId = Keys.newJobId(s.queue(), shards);
    String created = Long.toString(clock.millis());
    List<?> reply = reserve(s, jobId, created);
    long code = (Long) reply.get(0);
    String value = text(reply.get(1));
    return switch ((int) code) {
      case 1 -> {
        store(s, jobId, created);
        yield new SubmitOutcome.Accepted(jobId);
      }
      case 2 -> {
        if (!"1".equals(text(reply.get(2)))) {
          store(s, value, created); // the first submission stopped between reserving and storing
        }
        yield new SubmitOutcome.Duplicate(value);
      }
      case 3 -> new SubmitOutcome.KeyReused(value);
      case 4 -> new SubmitOutcome.KeyPending();
      case 5 -> new SubmitOutcome.OverRate(Duration.ofMillis(Long.parseLong(value)));
      case 6 -> new SubmitOutcome.OverActive(Long.parseLong(value));
      case 7 -> new SubmitOutcome.Overloaded();
      default ->
          throw new QueueDataException("reserve.lua answered " + code + " (expected: 1..7)", null);
    };
  }

  private List<?> reserve(Submission s, String jobId, String created) {
    String tenant = s.tenant();
    String active = tenantKeys.active(tenant);
    String keyName = s.key().map(k -> tenantKeys.idempotency(tenant, k.key())).orElse(active);
    List<byte[]> keyList = List.of(bytes(keyName), bytes(active), bytes(tenantKeys.rate(tenant)));
    Submission.Quota quota = s.quota();
    List<byte[]> args =
        List.of(
            bytes(jobId),
            bytes(created),
            s.key().isPresent() ? ONE : ZERO,
            bytes(s.key().map(Submission.IdempotencyKey::fingerprint).orElse("")),
            bytes(Long.toString(keyTtl(s).toMillis())),
            bytes(Integer.toString(quota.maxActiveJobs())),
            activeSetTtl,
            bytes(rate(quota.submissionsPerSecond())),
            bytes(Integer.toString(quota.burst())),
            s.admitted() ? ONE : ZERO);
    return (List<?>) write(RESERVE, keyList, args, null);
  }

  /** Stores the reserved job in its queue, then marks its idempotency key stored. */
  private void store(Submission s, String jobId, String created) {
    String queue = queueOf(s.queue(), jobId);
    List<byte[]> keyList =
        List.of(
            bytes(keys.job(jobId)),
            bytes(keys.events(jobId)),
            bytes(keys.jobs(queue)),
            bytes(keys.backlogTenants(queue)),
            bytes(keys.backlogPrefix(queue) + s.tenant()),
            bytes(keys.turn(queue)));
    List<byte[]> args =
        List.of(
            bytes(jobId),
            s.request().toByteArray(),
            bytes(s.request().getLanguage()),
            bytes(created),
            queuedTtl,
            QUEUED,
            bytes(s.tenant()),
            bytes(Keys.WORKER_GROUP),
            bytes(s.traceParent()),
            bytes(queue));
    write(CREATE, keyList, args, jobId);
    if (s.key().isPresent()) {
      String keyName = tenantKeys.idempotency(s.tenant(), s.key().get().key());
      RedisCalls.call(() -> redis.hset(keyName, "stored", "1"));
    }
    if (listed.add(queue)) {
      RedisCalls.call(() -> redis.sadd(keys.queues(), queue));
    }
  }

  /**
   * The shard of the queue {@code base} (a language's or a version's) whose tag the job id carries.
   */
  private String queueOf(String base, String jobId) {
    String tag = Keys.tagOfJob(jobId);
    for (int shard = 0; shard < shards; shard++) {
      String queue = Keys.queue(base, shard, shards);
      if (Keys.tag(queue).equals(tag)) {
        return queue;
      }
    }
    throw new QueueDataException(
        "job "
            + jobId
            + " is in no queue of "
            + base
            + " (expected: one of its "
            + shards
            + " shard(s); do coordinators agree on queue.shards?)",
        null);
  }

  /**
   * Runs a write; a job's creation with {@code replica:N} durability WAITs on the connection that
   * wrote. A reservation is not waited for: a failover that loses it loses a quota count and the
   * binding of an idempotency key, never a job that was acknowledged.
   */
  private Object write(LuaScript script, List<byte[]> keyList, List<byte[]> args, String jobId) {
    Durability durability = this.durability;
    if (jobId == null || durability.kind() != Durability.Kind.REPLICAS) {
      return RedisCalls.call(() -> script.run(redis, keyList, args));
    }
    long timeout = durability.timeout().toMillis();
    LuaScript.Replicated written =
        RedisCalls.call(
            () -> script.runAndWait(redis, keyList, args, durability.replicas(), timeout));
    if (written.replicas() < durability.replicas()) {
      throw new NotReplicatedException(jobId, written.replicas(), durability.replicas(), timeout);
    }
    return written.reply();
  }

  private static String text(Object raw) {
    return raw instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(raw);
  }

  /**
   * A key lives at least its requested retention, and at least as long as its job's record can: the
   * record of a job not started lives {@link QueueOptions#queuedTtl()}, and a started job's record
   * lives {@link QueueOptions#jobTtl()} after its last change (a run as long as the retention is
   * covered).
   */
  private Duration keyTtl(Submission s) {
    Duration wanted = s.key().map(Submission.IdempotencyKey::retention).orElse(Duration.ZERO);
    return wanted.compareTo(recordLife) > 0 ? wanted : recordLife;
  }

  /** A rate as the script reads it; a whole rate without the decimal formatting's cost. */
  private static String rate(double perSecond) {
    long whole = (long) perSecond;
    return whole == perSecond ? Long.toString(whole) : Double.toString(perSecond);
  }
}
