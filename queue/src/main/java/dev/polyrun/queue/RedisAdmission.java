package dev.polyrun.queue;

import dev.polyrun.queue.internal.AdmissionKeys;
import dev.polyrun.queue.internal.Keys;
import dev.polyrun.queue.internal.LuaScript;
import dev.polyrun.queue.internal.RedisClients;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Redis implementation of {@link AdmissionStore}. Holds its own connection pool; share one
 * instance and close it once.
 */
public final class RedisAdmission implements AdmissionStore {
  private static final LuaScript CLAIM = LuaScript.load("idempotency_claim");
  private static final LuaScript BIND = LuaScript.load("idempotency_bind");
  private static final LuaScript RELEASE = LuaScript.load("idempotency_release");
  private static final LuaScript LOAD = LuaScript.load("queue_load");

  private final UnifiedJedis redis;
  private final AdmissionKeys keys;
  private final Keys queueKeys;
  private final ActiveJobs active;

  RedisAdmission(UnifiedJedis redis, QueueOptions options, Clock clock) {
    this.redis = redis;
    this.keys = new AdmissionKeys(options.keyPrefix());
    this.queueKeys = new Keys(options.keyPrefix());
    this.active = new ActiveJobs(redis, keys, queueKeys, options.jobTtl(), clock, this::call);
  }

  /** Connects to Redis with the same key prefix and retention as the queue's. */
  public static RedisAdmission connect(RedisSettings settings, QueueOptions options) {
    return new RedisAdmission(RedisClients.create(settings, Duration.ZERO), options, Clock.systemUTC());
  }

  @Override
  public Claim claim(String tenant, String key, String fingerprint, Duration pendingTtl) {
    List<byte[]> args = List.of(bytes(fingerprint), bytes(Long.toString(pendingTtl.toMillis())));
    List<?> reply = (List<?>) call(() -> CLAIM.run(redis, List.of(bytes(keys.idempotency(tenant, key))), args));
    if (Long.valueOf(1).equals(reply.get(0))) {
      return Claim.mine();
    }
    return new Claim(false, text(reply.get(1)), text(reply.get(2)));
  }

  @Override
  public boolean bind(String tenant, String key, String fingerprint, String jobId, Duration ttl) {
    List<byte[]> args = List.of(bytes(fingerprint), bytes(jobId), bytes(Long.toString(ttl.toMillis())));
    Object bound = call(() -> BIND.run(redis, List.of(bytes(keys.idempotency(tenant, key))), args));
    return Long.valueOf(1).equals(bound);
  }

  @Override
  public void release(String tenant, String key, String fingerprint) {
    call(() -> RELEASE.run(redis, List.of(bytes(keys.idempotency(tenant, key))), List.of(bytes(fingerprint))));
  }

  @Override
  public Duration takeSubmission(String tenant, double perSecond, int burst) {
    return active.takeSubmission(tenant, perSecond, burst);
  }

  @Override
  public Optional<String> reserveActive(String tenant, int max) {
    return active.reserve(tenant, max);
  }

  @Override
  public void activate(String tenant, String reservation, String jobId) {
    active.activate(tenant, reservation, jobId);
  }

  @Override
  public void release(String tenant, String reservation) {
    active.release(tenant, reservation);
  }

  @Override
  public long activeJobs(String tenant) {
    return active.count(tenant);
  }

  @Override
  public QueueLoad load(long countUpTo) {
    List<byte[]> args = List.of(bytes(Keys.WORKER_GROUP), bytes(Long.toString(Math.max(1, countUpTo))),
        bytes(queueKeys.backlogPrefix()));
    List<byte[]> keyList = List.of(bytes(queueKeys.jobs()), bytes(queueKeys.backlogTenants()));
    List<?> reply = (List<?>) call(() -> LOAD.run(redis, keyList, args));
    long waiting = (Long) reply.get(0);
    long pending = (Long) reply.get(1);
    String oldest = text(reply.get(2));
    long now = (Long) reply.get(3);
    Duration age = Duration.ZERO;
    if (!oldest.isEmpty()) {
      long enqueued = Long.parseLong(oldest.substring(0, oldest.indexOf('-')));
      age = Duration.ofMillis(Math.max(0, now - enqueued));
    }
    return new QueueLoad(waiting, pending, age);
  }

  @Override
  public void close() {
    redis.close();
  }

  private <T> T call(Supplier<T> command) {
    return dev.polyrun.queue.internal.RedisCalls.call(command);
  }

  static byte[] bytes(String s) {
    return Keys.bytes(s);
  }

  static String text(Object reply) {
    return reply == null ? "" : new String((byte[]) reply, java.nio.charset.StandardCharsets.UTF_8);
  }
}
