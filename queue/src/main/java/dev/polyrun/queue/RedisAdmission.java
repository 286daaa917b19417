package dev.polyrun.queue;

import dev.polyrun.queue.internal.AdmissionKeys;
import dev.polyrun.queue.internal.Keys;
import dev.polyrun.queue.internal.LuaScript;
import dev.polyrun.queue.internal.RedisCalls;
import dev.polyrun.queue.internal.RedisClients;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Redis implementation of {@link AdmissionStore}. Either holds a connection pool of its own
 * ({@link #connect}) or uses a queue's ({@link #sharing}); close it once either way.
 */
public final class RedisAdmission implements AdmissionStore {
  private static final LuaScript LOAD = LuaScript.load("queue_load");

  private final UnifiedJedis redis;
  private final boolean ownsPool;
  private final Keys queueKeys;
  private final ActiveSet active;
  private final Clock clock;

  RedisAdmission(UnifiedJedis redis, boolean ownsPool, QueueOptions options, Clock clock) {
    this.redis = redis;
    this.ownsPool = ownsPool;
    this.queueKeys = new Keys(options.keyPrefix());
    this.active = new ActiveSet(redis, queueKeys, new AdmissionKeys(options.keyPrefix()));
    this.clock = clock;
  }

  /**
   * Connects to Redis, with a pool of its own, with the same key prefix and retention as the
   * queue's.
   */
  public static RedisAdmission connect(RedisSettings settings, QueueOptions options) {
    return new RedisAdmission(
        RedisClients.create(settings, Duration.ZERO), true, options, Clock.systemUTC());
  }

  /**
   * An admission store on {@code queue}'s connection pool, so that a process holds one pool.
   * Closing it leaves the queue open.
   */
  public static RedisAdmission sharing(RedisQueue queue, QueueOptions options) {
    return new RedisAdmission(queue.pool(), false, options, Clock.systemUTC());
  }

  @Override
  public long reconcileActiveJobs(String tenant) {
    return active.reconcile(tenant, clock.millis());
  }

  /**
   * The load summed over every queue (the oldest waiting job of any queue gives the age). Each
   * queue is read by one script in its own slot.
   */
  @Override
  public QueueLoad load(long countUpTo) {
    long waiting = 0;
    long pending = 0;
    Duration age = Duration.ZERO;
    List<String> queues = call(() -> List.copyOf(redis.smembers(queueKeys.queues())));
    for (String queue : queues) {
      QueueLoad one = load(queue, countUpTo);
      waiting += one.waiting();
      pending += one.pending();
      age = one.oldestWaitingAge().compareTo(age) > 0 ? one.oldestWaitingAge() : age;
    }
    return new QueueLoad(waiting, pending, age);
  }

  private QueueLoad load(String queue, long countUpTo) {
    List<byte[]> args =
        List.of(
            bytes(Keys.WORKER_GROUP),
            bytes(Long.toString(Math.max(1, countUpTo))),
            bytes(queueKeys.backlogPrefix(queue)));
    List<byte[]> keyList =
        List.of(bytes(queueKeys.jobs(queue)), bytes(queueKeys.backlogTenants(queue)));
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
    if (ownsPool) {
      redis.close();
    }
  }

  private <T> T call(Supplier<T> command) {
    return RedisCalls.call(command);
  }

  static byte[] bytes(String s) {
    return Keys.bytes(s);
  }

  static String text(Object reply) {
    return reply == null ? "" : new String((byte[]) reply, java.nio.charset.StandardCharsets.UTF_8);
  }
}
