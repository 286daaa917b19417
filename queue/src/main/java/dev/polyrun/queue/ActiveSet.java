package dev.polyrun.queue;

import dev.polyrun.queue.internal.AdmissionKeys;
import dev.polyrun.queue.internal.Keys;
import dev.polyrun.queue.internal.RedisCalls;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

/**
 * A tenant's jobs queued or running, counted for its quota: a sorted set of {@code job:ID} members
 * scored by submission time. The submit script counts it (ZCARD, O(1)) and adds the new job in the
 * same step that stores the job. A job leaves it when it ends: cancelled while queued (the cancel
 * script), completed or dead-lettered ({@link #ended}, right after). Removal is a ZREM, so a job is
 * uncounted exactly once however often its end is reported. What a report missed (a worker that
 * died between storing a result and reporting it, a record that expired) is dropped by {@link
 * #reconcile}, which coordinators run periodically.
 */
final class ActiveSet {
  private static final Logger log = LoggerFactory.getLogger(ActiveSet.class);
  private static final String JOB = "job:";

  /** Members an older coordinator added for submissions in progress; they lapse after a minute. */
  private static final String RESERVATION = "res:";

  private static final long RESERVATION_LAPSE_MILLIS = 60_000;

  private final UnifiedJedis redis;
  private final Keys keys;
  private final AdmissionKeys tenantKeys;

  ActiveSet(UnifiedJedis redis, Keys keys, AdmissionKeys tenantKeys) {
    this.redis = redis;
    this.keys = keys;
    this.tenantKeys = tenantKeys;
  }

  static String member(String jobId) {
    return JOB + jobId;
  }

  /**
   * Uncounts a job that has just ended. Never throws: a report that fails is made good by the next
   * {@link #reconcile}.
   */
  void ended(String jobId) {
    try {
      List<String> head = RedisCalls.call(() -> redis.hmget(keys.job(jobId), "tenant", "state"));
      String tenant = head.get(0);
      if (tenant == null || tenant.isEmpty() || !isFinal(head.get(1))) {
        return; // no tenant, no quota; a job that has not ended stays counted, whoever asks
      }
      // the job's record and the tenant's set are in different slots: read, then remove. A final
      // state is final, so nothing can change between the two.
      RedisCalls.call(() -> redis.zrem(tenantKeys.active(tenant), member(jobId)));
    } catch (RuntimeException e) {
      log.debug(
          "job {} ended but its tenant's active count was not updated; reconciliation will",
          jobId,
          e);
    }
  }

  /**
   * Drops the members whose job is final or whose record is gone (and lapsed reservations of older
   * coordinators), and returns how many are left. One read of the set and one pipelined read of its
   * jobs' states.
   */
  long reconcile(String tenant, long nowMillis) {
    String key = tenantKeys.active(tenant);
    List<Tuple> members = RedisCalls.call(() -> redis.zrangeWithScores(key, 0, -1));
    List<String> states = states(members);
    List<String> ended = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      Tuple member = members.get(i);
      String name = member.getElement();
      // a job's member is added (in the tenant's slot) a moment before its record is stored (in
      // the queue's slot): a young member without a record is a submission in progress
      boolean young = member.getScore() >= nowMillis - RESERVATION_LAPSE_MILLIS;
      boolean gone =
          name.startsWith(JOB)
              ? isFinal(states.get(i)) && !(states.get(i) == null && young)
              : !name.startsWith(RESERVATION)
                  || member.getScore() < nowMillis - RESERVATION_LAPSE_MILLIS;
      if (gone) {
        ended.add(name);
      }
    }
    if (!ended.isEmpty()) {
      RedisCalls.call(() -> redis.zrem(key, ended.toArray(String[]::new)));
    }
    return members.size() - ended.size();
  }

  /** The record state of each job member (null for other members and for records gone). */
  private List<String> states(List<Tuple> members) {
    return RedisCalls.call(
        () -> {
          List<Response<String>> replies = new ArrayList<>();
          try (AbstractPipeline pipeline = redis.pipelined()) {
            for (Tuple member : members) {
              String name = member.getElement();
              replies.add(
                  name.startsWith(JOB)
                      ? pipeline.hget(keys.job(name.substring(JOB.length())), "state")
                      : null);
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
}
