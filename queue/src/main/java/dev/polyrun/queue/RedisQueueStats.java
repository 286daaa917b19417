package dev.polyrun.queue;

import dev.polyrun.queue.internal.Keys;
import dev.polyrun.queue.internal.RedisCalls;
import dev.polyrun.queue.internal.RedisClients;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamConsumerInfo;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * Reads a {@link QueueSnapshot}: a few commands and two pipelines, sized by the waiting jobs it
 * reads (at most {@code sampleLimit} of them) and the live workers, never by the whole history.
 * Meant to run every few seconds from one thread, its result cached for metrics; its own small
 * connection pool keeps it off the queue's. Thread-safe; throws {@link QueueUnavailableException}
 * when Redis cannot be reached.
 */
public final class RedisQueueStats implements AutoCloseable {
  private final UnifiedJedis redis;
  private final Keys keys;
  private final Clock clock;
  private final int sampleLimit;

  RedisQueueStats(UnifiedJedis redis, QueueOptions options, Clock clock, int sampleLimit) {
    if (sampleLimit < 1) {
      throw new IllegalArgumentException("sample limit: " + sampleLimit + " (expected: >= 1)");
    }
    this.redis = redis;
    this.keys = new Keys(options.keyPrefix());
    this.clock = clock;
    this.sampleLimit = sampleLimit;
  }

  /**
   * Connects with a pool of its own; reads at most {@code sampleLimit} waiting jobs per snapshot.
   */
  public static RedisQueueStats connect(
      RedisSettings settings, QueueOptions options, int sampleLimit) {
    return new RedisQueueStats(
        RedisClients.create(settings, Duration.ZERO), options, Clock.systemUTC(), sampleLimit);
  }

  /** Reads the snapshot now. */
  public QueueSnapshot read() {
    return RedisCalls.call(this::readNow);
  }

  private QueueSnapshot readNow() {
    long now = clock.millis();
    List<String> waitingIds = new ArrayList<>();
    List<String> queues = new ArrayList<>(redis.smembers(keys.queues()));
    queues.sort(null);
    long waiting = 0;
    long pending = 0;
    long dead = 0;
    for (String queue : queues) {
      long[] stream = streamWaiting(queue, waitingIds);
      waiting += stream[0] + backlogWaiting(queue, waitingIds);
      pending += stream[1];
      dead += redis.exists(keys.deadLetters(queue)) ? redis.xlen(keys.deadLetters(queue)) : 0;
    }
    Map<String, long[]> perLanguage = languagesOf(waitingIds, now);
    double scale = waitingIds.isEmpty() ? 1 : Math.max(1.0, (double) waiting / waitingIds.size());
    List<QueueSnapshot.WorkerBeat> workers = workers(queues, now);
    Map<String, QueueSnapshot.Backlog> languages = new TreeMap<>();
    perLanguage.forEach(
        (lang, v) ->
            languages.put(
                lang,
                new QueueSnapshot.Backlog(
                    Math.round(v[0] * scale), Duration.ofMillis(v[1]), 0, 0)));
    for (QueueSnapshot.WorkerBeat w : workers) {
      for (String lang : w.languages()) {
        QueueSnapshot.Backlog b =
            languages.getOrDefault(lang, new QueueSnapshot.Backlog(0, Duration.ZERO, 0, 0));
        languages.put(
            lang,
            new QueueSnapshot.Backlog(
                b.waiting(), b.oldestWaiting(), b.slots() + w.slots(), b.busySlots() + w.busy()));
      }
    }
    return new QueueSnapshot(
        languages, waiting, pending, waitingIds.size() < waiting, workers, dead, info());
  }

  /** Adds the jobs stream's undelivered job ids (up to the limit); returns {waiting, pending}. */
  private long[] streamWaiting(String queue, List<String> ids) {
    if (!redis.exists(keys.jobs(queue))) {
      return new long[] {0, 0};
    }
    for (StreamGroupInfo group : redis.xinfoGroups(keys.jobs(queue))) {
      if (!Keys.WORKER_GROUP.equals(group.getName())) {
        continue;
      }
      StreamEntryID after = group.getLastDeliveredId();
      int limit = Math.max(1, sampleLimit - ids.size());
      List<StreamEntry> entries = redis.xrange(keys.jobs(queue), "(" + after, "+", limit);
      for (StreamEntry e : entries) {
        String job = e.getFields().get("job");
        if (job != null) {
          ids.add(job);
        }
      }
      Object lag = group.getGroupInfo().get("lag");
      long waiting = lag instanceof Long l ? l : entries.size();
      return new long[] {waiting, group.getPending()};
    }
    return new long[] {0, 0};
  }

  /**
   * Adds the oldest job ids of each tenant's backlog (a share of the limit each); returns the
   * total.
   */
  private long backlogWaiting(String queue, List<String> ids) {
    List<String> tenants = redis.zrange(keys.backlogTenants(queue), 0, -1);
    long total = 0;
    int share = Math.max(1, (sampleLimit - ids.size()) / Math.max(1, tenants.size()));
    for (String tenant : tenants) {
      String list = keys.backlogPrefix(queue) + tenant;
      total += redis.llen(list);
      for (String item : redis.lrange(list, 0, share - 1)) {
        int colon = item.indexOf(':');
        ids.add(colon < 0 ? item : item.substring(colon + 1));
      }
    }
    return total;
  }

  /** Per language: {waiting jobs read, oldest wait ms}. Jobs whose record expired are left out. */
  private Map<String, long[]> languagesOf(List<String> ids, long now) {
    Map<String, long[]> result = new HashMap<>();
    if (ids.isEmpty()) {
      return result;
    }
    List<Response<List<String>>> replies = new ArrayList<>();
    try (AbstractPipeline p = redis.pipelined()) {
      for (String id : ids) {
        replies.add(p.hmget(keys.job(id), "language", "created_ms"));
      }
      p.sync();
    }
    for (Response<List<String>> reply : replies) {
      List<String> f = reply.get();
      if (f.get(0) == null) {
        continue;
      }
      long age = f.get(1) == null ? 0 : Math.max(0, now - Long.parseLong(f.get(1)));
      long[] v = result.computeIfAbsent(f.get(0), l -> new long[2]);
      v[0]++;
      v[1] = Math.max(v[1], age);
    }
    return result;
  }

  /** The consumers of every queue's worker group whose heartbeat has not expired. */
  private List<QueueSnapshot.WorkerBeat> workers(List<String> queues, long now) {
    List<QueueSnapshot.WorkerBeat> live = new ArrayList<>();
    Map<String, StreamConsumerInfo> byName = new TreeMap<>();
    for (String queue : queues) {
      if (!redis.exists(keys.jobs(queue))) {
        continue;
      }
      try {
        redis
            .xinfoConsumers2(keys.jobs(queue), Keys.WORKER_GROUP)
            .forEach(c -> byName.putIfAbsent(c.getName(), c));
      } catch (redis.clients.jedis.exceptions.JedisDataException e) {
        // NOGROUP: no worker ever read this queue
      }
    }
    List<StreamConsumerInfo> consumers = new ArrayList<>(byName.values());
    List<Response<List<String>>> replies = new ArrayList<>();
    try (AbstractPipeline p = redis.pipelined()) {
      for (StreamConsumerInfo c : consumers) {
        replies.add(p.hmget(keys.worker(c.getName()), "slots", "busy", "languages", "updated_ms"));
      }
      p.sync();
    }
    for (int i = 0; i < consumers.size(); i++) {
      List<String> f = replies.get(i).get();
      if (f.get(0) == null) {
        continue;
      }
      List<String> langs =
          f.get(2) == null || f.get(2).isEmpty() ? List.of() : Arrays.asList(f.get(2).split(","));
      long age = f.get(3) == null ? 0 : Math.max(0, now - Long.parseLong(f.get(3)));
      live.add(
          new QueueSnapshot.WorkerBeat(
              consumers.get(i).getName(),
              Integer.parseInt(f.get(0)),
              f.get(1) == null ? 0 : Integer.parseInt(f.get(1)),
              List.copyOf(langs),
              Duration.ofMillis(age)));
    }
    return live;
  }

  private QueueSnapshot.RedisInfo info() {
    if (!(redis instanceof redis.clients.jedis.RedisClient)) {
      // INFO describes one server; a cluster's or a failover pair's figures are read on each node
      return new QueueSnapshot.RedisInfo(0, 0, 0, 0, 0, 0);
    }
    Map<String, String> info =
        parseInfo(redis.info("memory") + "\n" + redis.info("clients") + "\n" + redis.info("stats"));
    return new QueueSnapshot.RedisInfo(
        number(info, "used_memory"),
        number(info, "maxmemory"),
        number(info, "connected_clients"),
        number(info, "blocked_clients"),
        number(info, "evicted_keys"),
        number(info, "rejected_connections"));
  }

  static Map<String, String> parseInfo(String text) {
    Map<String, String> fields = new HashMap<>();
    for (String line : text.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
      }
    }
    return fields;
  }

  private static long number(Map<String, String> info, String key) {
    try {
      return Long.parseLong(info.getOrDefault(key, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Whether Redis answers a PING now. Never throws. */
  public boolean ping() {
    try {
      return "PONG".equals(redis.ping());
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    redis.close();
  }
}
