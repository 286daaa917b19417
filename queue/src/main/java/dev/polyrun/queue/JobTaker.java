package dev.polyrun.queue;

import static dev.polyrun.queue.internal.Keys.bytes;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.queue.internal.Keys;
import dev.polyrun.queue.internal.LuaScript;
import dev.polyrun.queue.internal.RedisCalls;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamEntryBinary;

/**
 * A worker's side of taking jobs: which queues to look at and how long to wait, taking over entries
 * whose worker was lost, feeding tenants' backlogs into the stream, and claiming a job for an
 * attempt (fenced by {@code claim.lua}). Thread-safe; one per {@link RedisQueue}.
 */
final class JobTaker {
  private static final LuaScript CLAIM = LuaScript.load("claim");
  private static final LuaScript POLL = LuaScript.load("poll");

  /** Stream entries kept waiting for workers while tenants' backlogs hold more. */
  private static final int FEED_TARGET = 2;

  /**
   * On a Redis Cluster, the longest a worker serving several queues waits on one of them before it
   * looks at all again (a blocking read cannot span slots there).
   */
  private static final Duration MULTI_QUEUE_WAIT = Duration.ofMillis(250);

  /** The longest a slot woken by other slots' jobs goes without passing over all its queues. */
  private static final Duration FULL_PASS_EVERY = Duration.ofMillis(250);

  /** Entries that give no job looked past in one look at a queue before the pass moves on. */
  private static final int MAX_SKIPS = 100;

  /** The longest wait on all queues of one Redis before the next pass (bounds a missed wake-up). */
  private static final Duration ANY_QUEUE_WAIT = Duration.ofSeconds(1);

  private final UnifiedJedis redis;
  private final Keys keys;
  private final QueueOptions options;
  private final Clock clock;
  private final ActiveSet activeSet;
  private final AtomicLong deadLettered;
  private final BiConsumer<Delivery, String> unreadable;

  /** Per queue: where the next XAUTOCLAIM goes on (it looks at a few pending entries per call). */
  private final Map<String, String> reclaimCursors = new ConcurrentHashMap<>();

  /** Turns the queues a worker reads start at, so that every queue gets its turn first. */
  private final AtomicInteger rotation = new AtomicInteger();

  /**
   * Per slot thread: the queues the last wait saw a new entry in, looked at first by the next pass.
   */
  private final ThreadLocal<List<String>> woken = ThreadLocal.withInitial(List::of);

  /**
   * Per slot thread: the id of the last entry of each queue as its latest look found it with
   * nothing new to read, where its next wait starts.
   */
  private final ThreadLocal<Map<String, String>> lastSeen = ThreadLocal.withInitial(HashMap::new);

  /** Per slot thread: when (nanoTime) it last passed over all its queues. */
  private final ThreadLocal<long[]> lastFullPass =
      ThreadLocal.withInitial(() -> new long[] {System.nanoTime() - FULL_PASS_EVERY.toNanos()});

  /** Queues whose worker group this process has created (or found). */
  private final Set<String> grouped = ConcurrentHashMap.newKeySet();

  /**
   * @param deadLettered counts the jobs this process moved to a dead-letter stream
   * @param unreadable ends a job whose stored request cannot be parsed (with the parser's message)
   */
  JobTaker(
      UnifiedJedis redis,
      Keys keys,
      QueueOptions options,
      Clock clock,
      ActiveSet activeSet,
      AtomicLong deadLettered,
      BiConsumer<Delivery, String> unreadable) {
    this.redis = redis;
    this.keys = keys;
    this.options = options;
    this.clock = clock;
    this.activeSet = activeSet;
    this.deadLettered = deadLettered;
    this.unreadable = unreadable;
  }

  private void ensureGroup(String queue) {
    call(
        () -> {
          try {
            redis.xgroupCreate(keys.jobs(queue), Keys.WORKER_GROUP, new StreamEntryID(0, 0), true);
          } catch (JedisDataException e) {
            if (!String.valueOf(e.getMessage()).startsWith("BUSYGROUP")) {
              throw e;
            }
          }
          return null;
        });
    grouped.add(queue);
  }

  /**
   * One queue: waits on it. Several: one pass over them all without waiting (from a rotating start,
   * so that no queue is always last), then a wait: on one Redis (standalone or Sentinel) for a new
   * entry in any of them; on a Redis Cluster, where a blocking read cannot span slots, a short wait
   * on one of them, in turn.
   */
  Optional<Delivery> take(String consumer, Duration block, List<String> queues) {
    if (queues.isEmpty()) {
      pause(block.compareTo(MULTI_QUEUE_WAIT) < 0 ? block : MULTI_QUEUE_WAIT);
      return Optional.empty();
    }
    int first = Math.floorMod(rotation.getAndIncrement(), queues.size());
    if (queues.size() == 1) {
      return takeOnce(queues.get(0), consumer, block);
    }
    // the queues the last wait saw a new entry in come first: a new job is claimed in one round
    // trip
    boolean wasWoken = !woken.get().isEmpty();
    for (String queue : woken.get()) {
      Optional<Delivery> delivery =
          queues.contains(queue) ? takeOnce(queue, consumer, Duration.ZERO) : Optional.empty();
      if (delivery.isPresent()) {
        woken.set(List.of());
        return delivery;
      }
    }
    woken.set(List.of());
    // a slot woken for a job another slot took goes back to waiting, rather than every idle slot
    // passing over every queue for each new job; a pass (take-overs, backlogs) still comes at
    // least every FULL_PASS_EVERY
    long now = System.nanoTime();
    long[] last = lastFullPass.get();
    if (!wasWoken || now - last[0] >= FULL_PASS_EVERY.toNanos()) {
      last[0] = now;
      for (int i = 0; i < queues.size(); i++) {
        Optional<Delivery> delivery =
            takeOnce(queues.get((first + i) % queues.size()), consumer, Duration.ZERO);
        if (delivery.isPresent()) {
          return delivery;
        }
      }
    }
    if (block.isZero()) {
      return Optional.empty();
    }
    if (!(redis instanceof RedisClusterClient)) {
      // one node holds every queue: wait on all of them at once, then claim in the next pass
      woken.set(
          awaitNewEntries(queues, block.compareTo(ANY_QUEUE_WAIT) < 0 ? block : ANY_QUEUE_WAIT));
      return Optional.empty();
    }
    return takeOnce(
        queues.get(first),
        consumer,
        block.compareTo(MULTI_QUEUE_WAIT) < 0 ? block : MULTI_QUEUE_WAIT);
  }

  /**
   * Waits until an entry is added to any of {@code queues}, or {@code wait} passes: a blocking
   * XREAD of new entries only (it claims nothing; the caller's next pass does, starting with the
   * queues returned). An entry added between the pass and this read is seen by the next pass, at
   * most {@code wait} later.
   */
  private List<String> awaitNewEntries(List<String> queues, Duration wait) {
    Map<String, StreamEntryID> streams = new LinkedHashMap<>();
    Map<String, String> queueOf = new HashMap<>();
    Map<String, String> seen = lastSeen.get();
    for (String queue : queues) {
      String last = seen.get(queue);
      // from the last entry a look saw: an entry added since (before this wait began) wakes it at
      // once
      streams.put(
          keys.jobs(queue), last == null ? StreamEntryID.XREAD_NEW_ENTRY : new StreamEntryID(last));
      queueOf.put(keys.jobs(queue), queue);
    }
    List<Map.Entry<String, List<StreamEntry>>> read =
        call(
            () ->
                redis.xread(
                    XReadParams.xReadParams().count(1).block((int) wait.toMillis()), streams));
    if (read == null) {
      return List.of();
    }
    return read.stream().map(e -> queueOf.get(e.getKey())).filter(Objects::nonNull).toList();
  }

  private static void pause(Duration wait) {
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Optional<Delivery> takeOnce(String queue, String consumer, Duration block) {
    if (!grouped.contains(queue)) {
      ensureGroup(queue);
    }
    try {
      return read(queue, consumer, block);
    } catch (JedisDataException e) {
      if (!String.valueOf(e.getMessage()).startsWith("NOGROUP")) {
        throw e;
      }
      // Redis lost its data (restarted without persistence): recreate the group, read again
      ensureGroup(queue);
      return read(queue, consumer, block);
    }
  }

  /**
   * One look at the queue: an entry to take over, else (after feeding the backlog) a new one, read
   * without waiting when {@code block} is zero (one round trip) or waiting up to {@code block}. An
   * entry that gives no job (its job ended, was cancelled or expired; it is acknowledged) is
   * followed by another look at once, so that a job behind it is taken in this pass rather than
   * after the next wait (at most {@link #MAX_SKIPS} of them per look).
   */
  private Optional<Delivery> read(String queue, String consumer, Duration block) {
    for (int skipped = 0; skipped < MAX_SKIPS; skipped++) {
      List<?> reply = poll(queue, consumer, block.isZero());
      String entryId = text(reply.get(1));
      if (entryId.equals("ERR")) {
        throw new JedisDataException(text(reply.get(2))); // NOGROUP: the caller recreates the group
      }
      if (!text(reply.get(4)).isEmpty()) {
        // XAUTOCLAIM looks at a few pending entries per call: go on from where it stopped
        reclaimCursors.put(queue, text(reply.get(4)));
      }
      if (entryId.isEmpty()) {
        if (reply.size() > 5) {
          lastSeen.get().put(queue, text(reply.get(5)));
        }
        break;
      }
      String jobId = text(reply.get(2));
      boolean takenOver = (Long) reply.get(3) == 1;
      if (!takenOver) {
        lastSeen.get().put(queue, entryId);
      }
      Optional<Delivery> delivery =
          start(queue, consumer, entryId, jobId.isEmpty() ? null : jobId, takenOver);
      if (delivery.isPresent()) {
        return delivery;
      }
    }
    if (block.isZero()) {
      return Optional.empty();
    }
    XReadGroupParams params =
        XReadGroupParams.xReadGroupParams().count(1).block((int) block.toMillis());
    List<Map.Entry<byte[], List<StreamEntryBinary>>> read =
        call(
            () ->
                redis.xreadGroupBinary(
                    bytes(Keys.WORKER_GROUP),
                    bytes(consumer),
                    params,
                    Map.of(bytes(keys.jobs(queue)), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)));
    if (read == null) {
      return Optional.empty();
    }
    for (Map.Entry<byte[], List<StreamEntryBinary>> stream : read) {
      for (StreamEntryBinary entry : stream.getValue()) {
        Optional<Delivery> delivery =
            start(queue, consumer, entry.getID().toString(), jobField(entry.getFields()), false);
        if (delivery.isPresent()) {
          return delivery;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Runs {@code poll.lua} on the queue: takes over an entry idle for a whole lease, else feeds the
   * backlog and, with {@code readNew}, reads one new entry. Returns the script's reply.
   */
  private List<?> poll(String queue, String consumer, boolean readNew) {
    List<byte[]> keyList =
        List.of(
            bytes(keys.jobs(queue)), bytes(keys.backlogTenants(queue)), bytes(keys.turn(queue)));
    List<byte[]> args =
        List.of(
            bytes(Keys.WORKER_GROUP),
            bytes(Integer.toString(FEED_TARGET)),
            bytes(keys.backlogPrefix(queue)),
            bytes(consumer),
            bytes(Long.toString(options.lease().toMillis())),
            bytes(reclaimCursors.getOrDefault(queue, "0-0")),
            bytes(readNew ? "1" : "0"));
    return (List<?>) call(() -> POLL.run(redis, keyList, args));
  }

  private static String text(Object value) {
    return value instanceof byte[] b
        ? new String(b, StandardCharsets.UTF_8)
        : String.valueOf(value);
  }

  private static String jobField(Map<byte[], byte[]> fields) {
    for (Map.Entry<byte[], byte[]> field : fields.entrySet()) {
      if ("job".equals(new String(field.getKey(), StandardCharsets.UTF_8))) {
        return new String(field.getValue(), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private Optional<Delivery> start(
      String queue, String consumer, String entryId, String jobId, boolean reclaimed) {
    if (jobId == null) {
      call(() -> redis.xack(keys.jobs(queue), Keys.WORKER_GROUP, new StreamEntryID(entryId)));
      return Optional.empty();
    }
    Result dead =
        Result.newBuilder()
            .setVerdict(Verdict.VERDICT_INTERNAL_ERROR)
            .setErrorReason(ErrorReasons.DELIVERY_LIMIT)
            .setMessage(
                "the job was delivered "
                    + options.maxDeliveries()
                    + " times and its worker stopped each time; it was moved to the dead-letter stream")
            .build();
    List<byte[]> args =
        List.of(
            bytes(consumer),
            bytes(Integer.toString(options.maxDeliveries())),
            bytes(entryId),
            bytes(Keys.WORKER_GROUP),
            dead.toByteArray(),
            JobEvent.newBuilder().setResult(dead).build().toByteArray(),
            bytes(Long.toString(options.jobTtl().toMillis())),
            bytes(Long.toString(clock.millis())),
            bytes(RedisQueue.ABANDONED_LEASE),
            bytes(RedisQueue.ABANDONED_RELEASED));
    List<?> claimed =
        (List<?>)
            call(
                () ->
                    CLAIM.run(
                        redis,
                        keys.scriptKeys(jobId, keys.jobs(queue), keys.deadLetters(queue)),
                        args));
    long attempt = (Long) claimed.get(0);
    if (attempt == -2) {
      deadLettered.incrementAndGet();
      activeSet.ended(jobId); // quota: the job ended (dead-lettered)
    }
    if (attempt <= 0) {
      return Optional.empty();
    }
    byte[] spec = (byte[]) claimed.get(1);
    try {
      return Optional.of(
          new Delivery(
              entryId, jobId, (int) attempt, SubmitRequest.parseFrom(spec), reclaimed, queue));
    } catch (InvalidProtocolBufferException e) {
      // no delivery could ever read it: the job ends now instead of after every delivery's lease
      unreadable.accept(
          new Delivery(
              entryId, jobId, (int) attempt, SubmitRequest.getDefaultInstance(), reclaimed, queue),
          e.getMessage());
      return Optional.empty();
    }
  }

  private static <T> T call(Supplier<T> command) {
    return RedisCalls.call(command);
  }
}
