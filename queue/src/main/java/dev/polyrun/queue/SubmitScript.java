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
import java.util.UUID;
import redis.clients.jedis.UnifiedJedis;

/**
 * Runs {@code submit.lua}: a submission is admitted and stored in one round trip. Every key the
 * script touches is named in KEYS, so a Redis Cluster layout can place them.
 */
final class SubmitScript {
  private static final LuaScript SUBMIT = LuaScript.load("submit");
  private static final byte[] QUEUED = JobEvent.newBuilder()
      .setState(StateChange.newBuilder().setState(JobState.JOB_STATE_QUEUED).setAttempt(0))
      .build().toByteArray();
  private static final byte[] ONE = bytes("1");
  private static final byte[] ZERO = bytes("0");

  private final UnifiedJedis redis;
  private final Keys keys;
  private final AdmissionKeys tenantKeys;
  private final Clock clock;
  private final Duration recordLife;
  private final byte[] queuedTtl;
  private final byte[] activeSetTtl;

  SubmitScript(UnifiedJedis redis, Keys keys, AdmissionKeys tenantKeys, QueueOptions options, Clock clock) {
    this.redis = redis;
    this.keys = keys;
    this.tenantKeys = tenantKeys;
    this.clock = clock;
    this.durability = options.durability();
    // the longest a job's record lives: waiting, then a run as long as the retention, then the retention
    this.recordLife = options.queuedTtl().plus(options.jobTtl()).plus(options.jobTtl());
    this.queuedTtl = bytes(Long.toString(options.queuedTtl().toMillis()));
    // the active set outlives the records of the jobs it counts, waiting or started
    Duration longest = options.queuedTtl().compareTo(options.jobTtl()) > 0 ? options.queuedTtl() : options.jobTtl();
    this.activeSetTtl = bytes(Long.toString(longest.plusMinutes(1).toMillis()));
  }

  private final Durability durability;

  SubmitOutcome run(Submission s) {
    String jobId = UUID.randomUUID().toString();
    String tenant = s.tenant();
    String keyName = s.key().map(k -> tenantKeys.idempotency(tenant, k.key())).orElse(keys.job(jobId));
    List<byte[]> keyList = List.of(bytes(keys.job(jobId)), bytes(keys.events(jobId)), bytes(keys.jobs()),
        bytes(keys.backlogTenants()), bytes(keys.backlogPrefix() + tenant), bytes(keys.turn()), bytes(keyName),
        bytes(tenantKeys.active(tenant)), bytes(tenantKeys.rate(tenant)));
    Submission.Quota quota = s.quota();
    List<byte[]> args = List.of(
        bytes(jobId),
        s.request().toByteArray(),
        bytes(s.request().getLanguage()),
        bytes(Long.toString(clock.millis())),
        queuedTtl,
        QUEUED,
        bytes(tenant),
        bytes(Keys.WORKER_GROUP),
        s.key().isPresent() ? ONE : ZERO,
        bytes(s.key().map(Submission.IdempotencyKey::fingerprint).orElse("")),
        bytes(Long.toString(keyTtl(s).toMillis())),
        bytes(Integer.toString(quota.maxActiveJobs())),
        activeSetTtl,
        bytes(rate(quota.submissionsPerSecond())),
        bytes(Integer.toString(quota.burst())),
        s.admitted() ? ONE : ZERO,
        bytes(s.traceParent()));
    List<?> reply;
    Durability durability = this.durability;
    if (durability.kind() == Durability.Kind.REPLICAS) {
      // WAIT on the connection that wrote: the pipeline keeps the script and WAIT together
      long timeout = durability.timeout().toMillis();
      LuaScript.Replicated written =
          RedisCalls.call(() -> SUBMIT.runAndWait(redis, keyList, args, durability.replicas(), timeout));
      reply = (List<?>) written.reply();
      if ((Long) reply.get(0) == 1 && written.replicas() < durability.replicas()) {
        throw new NotReplicatedException(jobId, written.replicas(), durability.replicas(), timeout);
      }
    } else {
      reply = (List<?>) RedisCalls.call(() -> SUBMIT.run(redis, keyList, args));
    }
    long code = (Long) reply.get(0);
    Object raw = reply.get(1);
    String value = raw instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(raw);
    return switch ((int) code) {
      case 1 -> new SubmitOutcome.Accepted(value);
      case 2 -> new SubmitOutcome.Duplicate(value);
      case 3 -> new SubmitOutcome.KeyReused(value);
      case 4 -> new SubmitOutcome.KeyPending();
      case 5 -> new SubmitOutcome.OverRate(Duration.ofMillis(Long.parseLong(value)));
      case 6 -> new SubmitOutcome.OverActive(Long.parseLong(value));
      case 7 -> new SubmitOutcome.Overloaded();
      default -> throw new QueueDataException("submit.lua answered " + code + " (expected: 1..7)", null);
    };
  }

  /**
   * A key lives at least its requested retention, and at least as long as its job's record can:
   * the record of a job not started lives {@link QueueOptions#queuedTtl()}, and a started job's
   * record lives {@link QueueOptions#jobTtl()} after its last change (a run as long as the
   * retention is covered).
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
