package dev.polyrun.queue;

import static dev.polyrun.queue.RedisAdmission.bytes;

import dev.polyrun.queue.internal.AdmissionKeys;
import dev.polyrun.queue.internal.Keys;
import dev.polyrun.queue.internal.LuaScript;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

/**
 * A tenant's submission bucket and its set of queued or running jobs. The set holds {@code job:ID}
 * members, and {@code res:UUID} members for submissions in progress; both are dropped lazily: a
 * job once its record is final or gone, a reservation a minute after it was made.
 */
final class ActiveJobs {
  private static final LuaScript RATE = LuaScript.load("rate_take");
  private static final LuaScript RESERVE = LuaScript.load("active_reserve");
  private static final LuaScript BIND = LuaScript.load("active_bind");
  private static final String JOB = "job:";
  private static final String RESERVATION = "res:";
  private static final Duration RESERVATION_LAPSE = Duration.ofMinutes(1);

  private final UnifiedJedis redis;
  private final AdmissionKeys keys;
  private final Keys queueKeys;
  private final Duration ttl;
  private final Clock clock;
  private final Function<Supplier<Object>, Object> call;

  ActiveJobs(UnifiedJedis redis, AdmissionKeys keys, Keys queueKeys, Duration jobTtl, Clock clock,
      Function<Supplier<Object>, Object> call) {
    this.redis = redis;
    this.keys = keys;
    this.queueKeys = queueKeys;
    // A job stays active at most as long as its record lives; the set lives a little longer.
    this.ttl = jobTtl.plus(RESERVATION_LAPSE);
    this.clock = clock;
    this.call = call;
  }

  Duration takeSubmission(String tenant, double perSecond, int burst) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("rate " + perSecond + "/s, burst " + burst + " (expected: > 0 and >= 1)");
    }
    List<byte[]> args = List.of(bytes(Double.toString(perSecond)), bytes(Integer.toString(burst)));
    Object wait = call.apply(() -> RATE.run(redis, List.of(bytes(keys.rate(tenant))), args));
    return Duration.ofMillis((Long) wait);
  }

  Optional<String> reserve(String tenant, int max) {
    String reservation = RESERVATION + UUID.randomUUID();
    if (tryReserve(tenant, max, reservation)) {
      return Optional.of(reservation);
    }
    // Full: drop the jobs that have ended since they were added, then try once more.
    count(tenant);
    return tryReserve(tenant, max, reservation) ? Optional.of(reservation) : Optional.empty();
  }

  private boolean tryReserve(String tenant, int max, String reservation) {
    List<byte[]> args = List.of(bytes(Integer.toString(max)), bytes(reservation), now(), ttlMillis());
    Object reply = call.apply(() -> RESERVE.run(redis, List.of(bytes(keys.active(tenant))), args));
    return Long.valueOf(-1).equals(reply);
  }

  void activate(String tenant, String reservation, String jobId) {
    List<byte[]> args = List.of(bytes(reservation), bytes(JOB + jobId), now(), ttlMillis());
    call.apply(() -> BIND.run(redis, List.of(bytes(keys.active(tenant))), args));
  }

  void release(String tenant, String reservation) {
    call.apply(() -> redis.zrem(keys.active(tenant), reservation));
  }

  /** Drops ended jobs and lapsed reservations, and returns what is left. */
  @SuppressWarnings("unchecked")
  long count(String tenant) {
    String key = keys.active(tenant);
    List<Tuple> members = (List<Tuple>) call.apply(() -> redis.zrangeWithScores(key, 0, -1));
    long lapsedBefore = clock.millis() - RESERVATION_LAPSE.toMillis();
    List<String> states = states(members);
    List<String> ended = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      Tuple member = members.get(i);
      boolean job = member.getElement().startsWith(JOB);
      if (job ? isFinal(states.get(i)) : member.getScore() < lapsedBefore) {
        ended.add(member.getElement());
      }
    }
    if (!ended.isEmpty()) {
      call.apply(() -> redis.zrem(key, ended.toArray(String[]::new)));
    }
    return members.size() - ended.size();
  }

  /** The record state of each job member (null for reservations and for records gone), in one round trip. */
  @SuppressWarnings("unchecked")
  private List<String> states(List<Tuple> members) {
    return (List<String>) call.apply(() -> {
      List<Response<String>> replies = new ArrayList<>();
      try (AbstractPipeline pipeline = redis.pipelined()) {
        for (Tuple member : members) {
          String name = member.getElement();
          replies.add(name.startsWith(JOB) ? pipeline.hget(queueKeys.job(name.substring(JOB.length())), "state") : null);
        }
        pipeline.sync();
      }
      List<String> states = new ArrayList<>();
      replies.forEach(r -> states.add(r == null ? null : r.get()));
      return states;
    });
  }

  private static boolean isFinal(String state) {
    return state == null || state.equals("DONE") || state.equals("CANCELLED");
  }

  private byte[] now() {
    return bytes(Long.toString(clock.millis()));
  }

  private byte[] ttlMillis() {
    return bytes(Long.toString(ttl.toMillis()));
  }
}
