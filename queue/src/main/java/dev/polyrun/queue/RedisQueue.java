package dev.polyrun.queue;

import static dev.polyrun.queue.internal.Keys.bytes;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.StateChange;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.queue.internal.AdmissionKeys;
import dev.polyrun.queue.internal.EventCodec;
import dev.polyrun.queue.internal.Keys;
import dev.polyrun.queue.internal.StoredState;
import dev.polyrun.queue.internal.LuaScript;
import dev.polyrun.queue.internal.RedisClients;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntryBinary;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * The Redis implementation of both sides of the queue. One instance holds a connection pool;
 * share it, and close it once.
 */
public final class RedisQueue implements JobQueue, WorkQueue {
  private static final LuaScript CLAIM = LuaScript.load("claim");
  private static final LuaScript PUBLISH = LuaScript.load("publish");
  private static final LuaScript COMPLETE = LuaScript.load("complete");
  private static final LuaScript CANCEL = LuaScript.load("cancel");
  private static final LuaScript RENEW = LuaScript.load("renew");
  private static final LuaScript ACK = LuaScript.load("ack");
  private static final LuaScript FEED = LuaScript.load("feed");
  private static final LuaScript PRUNE = LuaScript.load("prune");
  /** Stream entries kept waiting for workers while tenants' backlogs hold more. */
  private static final int FEED_TARGET = 2;
  /** The longest a worker serving several queues waits on one of them before it looks at all again. */
  private static final Duration MULTI_QUEUE_WAIT = Duration.ofMillis(250);

  private final UnifiedJedis redis;
  private final RedisSettings settings;
  private final Keys keys;
  private final AdmissionKeys tenantKeys;
  private final QueueOptions options;
  private final Clock clock;
  /** Why an attempt was abandoned, as {@code AttemptAbandoned.reason} says. */
  static final String ABANDONED_LEASE = "its worker stopped renewing the lease (it died, or stalled past the lease)";
  static final String ABANDONED_RELEASED = "its worker shut down before the job ended";
  private final ActiveSet activeSet;
  private final SubmitScript submitScript;
  private final java.util.concurrent.atomic.AtomicLong deadLettered = new java.util.concurrent.atomic.AtomicLong();
  /** Per queue: where the next XAUTOCLAIM goes on (it looks at a few pending entries per call). */
  private final Map<String, StreamEntryID> reclaimCursors = new java.util.concurrent.ConcurrentHashMap<>();
  /** Turns the queues a worker reads start at, so that every queue gets its turn first. */
  private final java.util.concurrent.atomic.AtomicInteger rotation = new java.util.concurrent.atomic.AtomicInteger();
  /** Queues whose worker group this process has created (or found). */
  private final java.util.Set<String> grouped = java.util.concurrent.ConcurrentHashMap.newKeySet();

  RedisQueue(UnifiedJedis redis, RedisSettings settings, QueueOptions options, Clock clock) {
    this.redis = redis;
    this.settings = settings;
    this.keys = new Keys(options.keyPrefix());
    this.tenantKeys = new AdmissionKeys(options.keyPrefix());
    this.options = options;
    this.clock = clock;
    this.activeSet = new ActiveSet(redis, keys, tenantKeys);
    this.submitScript = new SubmitScript(redis, keys, tenantKeys, options, clock);
  }

  /**
   * A queue on Redis that talks to it only when first used, so it can be created while Redis is
   * down. Blocking reads may wait up to {@code maxBlock}; their socket timeout is set above it.
   */
  public static RedisQueue create(RedisSettings settings, QueueOptions options, Duration maxBlock) {
    return new RedisQueue(RedisClients.create(settings, maxBlock), settings, options, Clock.systemUTC());
  }

  /**
   * Connects to Redis (a pool of {@link RedisSettings#maxConnections()}) and checks that it
   * answers. Each queue's worker group is created by the first worker that reads the queue.
   * Blocking reads may wait up to {@code maxBlock}; their socket timeout is set above it.
   *
   * @throws QueueUnavailableException when Redis cannot be reached
   */
  public static RedisQueue connect(RedisSettings settings, QueueOptions options, Duration maxBlock) {
    RedisQueue queue = create(settings, options, maxBlock);
    try {
      queue.call(queue.redis::ping);
    } catch (RuntimeException e) {
      queue.close();
      throw e;
    }
    return queue;
  }

  private void ensureGroup(String queue) {
    call(() -> {
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

  @Override
  public SubmitOutcome submit(Submission submission) {
    return submitScript.run(submission);
  }

  /**
   * Whether Redis's configuration keeps the promise of {@link QueueOptions#durability()}.
   *
   * @throws QueueUnavailableException when Redis cannot be reached
   */
  public DurabilityCheck checkDurability() {
    if (redis instanceof redis.clients.jedis.RedisClusterClient cluster) {
      return call(() -> dev.polyrun.queue.internal.DurabilityProbe.checkCluster(cluster, settings,
          options.durability()));
    }
    return call(() -> dev.polyrun.queue.internal.DurabilityProbe.check(redis, options.durability()));
  }

  @Override
  public Optional<Job> getJob(String jobId) {
    Map<byte[], byte[]> fields = call(() -> redis.hgetAll(bytes(keys.job(jobId))));
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    Map<String, byte[]> f = new java.util.HashMap<>();
    fields.forEach((k, v) -> f.put(new String(k, StandardCharsets.UTF_8), v));
    Job.Builder job =
        Job.newBuilder()
            .setJobId(jobId)
            .setState(StoredState.parse(text(f.get("state"), "QUEUED")))
            .setLanguage(text(f.get("language"), ""))
            .setCreatedAtMs(Long.parseLong(text(f.get("created_ms"), "0")))
            .setAttempt(Integer.parseInt(text(f.get("attempt"), "0")))
            .setTraceId(JobOrigin.traceId(text(f.get("traceparent"), "")));
    if (f.containsKey("result")) {
      job.setResult(parse(() -> Result.parseFrom(f.get("result")), "result of job " + jobId));
    }
    return Optional.of(job.build());
  }

  @Override
  public Optional<JobHead> head(String jobId) {
    return headOf(call(() -> redis.hmget(keys.job(jobId), "state", "tenant", "attempt")));
  }

  private static Optional<JobHead> headOf(List<String> fields) {
    if (fields.get(0) == null) {
      return Optional.empty();
    }
    String tenant = fields.get(1) == null ? "" : fields.get(1);
    int attempt = fields.get(2) == null ? 0 : Integer.parseInt(fields.get(2));
    return Optional.of(new JobHead(tenant, StoredState.parse(fields.get(0)), attempt));
  }

  @Override
  public Optional<JobView> headAndEvents(String jobId, String afterCursor, int max) {
    Map<byte[], StreamEntryID> from = Map.of(bytes(keys.events(jobId)), cursorOf(afterCursor));
    return call(() -> {
      Response<List<String>> fields;
      Response<List<Map.Entry<byte[], List<StreamEntryBinary>>>> read;
      try (AbstractPipeline pipeline = redis.pipelined()) {
        fields = pipeline.hmget(keys.job(jobId), "state", "tenant", "attempt");
        read = pipeline.xreadBinary(XReadParams.xReadParams().count(max), from);
        pipeline.sync();
      }
      return headOf(fields.get()).map(head -> new JobView(head, decode(jobId, read.get())));
    });
  }

  private static StreamEntryID cursorOf(String afterCursor) {
    return afterCursor == null || afterCursor.isEmpty() ? new StreamEntryID(0, 0) : new StreamEntryID(afterCursor);
  }

  private static List<JobEvent> decode(String jobId, List<Map.Entry<byte[], List<StreamEntryBinary>>> read) {
    List<JobEvent> events = new ArrayList<>();
    if (read != null) {
      for (Map.Entry<byte[], List<StreamEntryBinary>> stream : read) {
        for (StreamEntryBinary entry : stream.getValue()) {
          events.add(EventCodec.decode(jobId, entry));
        }
      }
    }
    return events;
  }

  @Override
  public List<JobEvent> readEvents(String jobId, String afterCursor, Duration block, int max) {
    XReadParams params = XReadParams.xReadParams().count(max);
    if (!block.isZero()) {
      params.block((int) block.toMillis());
    }
    return decode(jobId, call(() -> redis.xreadBinary(params, Map.of(bytes(keys.events(jobId)), cursorOf(afterCursor)))));
  }

  @Override
  public EventReader openEventReader(Duration maxBlock) {
    if (settings == null) {
      throw new IllegalStateException("this queue was not connected with RedisQueue.connect");
    }
    return new RedisEventReader(settings, maxBlock, keys, redis);
  }

  @Override
  public ConnectionStats connections() {
    return RedisClients.stats(redis, settings == null ? 0 : settings.maxConnections());
  }

  @Override
  public Optional<JobState> cancel(String jobId) {
    Result notStarted = cancelled("cancelled before it started");
    Result ranBefore = cancelled("cancelled while waiting to run again (an earlier attempt started, and its"
        + " worker was lost)");
    List<byte[]> args =
        List.of(
            notStarted.toByteArray(),
            JobEvent.newBuilder().setResult(notStarted).build().toByteArray(),
            bytes(Long.toString(options.jobTtl().toMillis())),
            bytes(Long.toString(clock.millis())),
            ranBefore.toByteArray(),
            JobEvent.newBuilder().setResult(ranBefore).build().toByteArray());
    Object state = call(() -> CANCEL.run(redis, jobKeys(jobId), args));
    if (state == null) {
      return Optional.empty();
    }
    JobState after = StoredState.parse(new String((byte[]) state, StandardCharsets.UTF_8));
    if (after == JobState.JOB_STATE_CANCELLED) {
      // the tenant's active set is in the tenant's slot, not the job's: uncounted in a step of its own
      activeSet.ended(jobId);
    }
    return Optional.of(after);
  }

  private static Result cancelled(String message) {
    return Result.newBuilder().setVerdict(Verdict.VERDICT_CANCELLED).setMessage(message).build();
  }

  @Override
  public List<Language> languages() {
    Map<byte[], byte[]> all = call(() -> redis.hgetAll(bytes(keys.languages())));
    List<Language> languages = new ArrayList<>();
    for (byte[] value : all.values()) {
      languages.add(parse(() -> Language.parseFrom(value), "language registry entry"));
    }
    languages.sort(Comparator.comparing(Language::getName));
    return languages;
  }

  @Override
  public QueueDepth depth() {
    long waiting = 0;
    long pending = 0;
    for (String queue : queues()) {
      if (!call(() -> redis.exists(keys.jobs(queue)))) {
        waiting += backlog(queue);
        continue;
      }
      List<StreamGroupInfo> groups = call(() -> redis.xinfoGroups(keys.jobs(queue)));
      for (StreamGroupInfo group : groups) {
        if (Keys.WORKER_GROUP.equals(group.getName())) {
          Object lag = group.getGroupInfo().get("lag");
          waiting += lag instanceof Long l ? l : 0L;
          pending += group.getPending();
        }
      }
      waiting += backlog(queue);
    }
    return new QueueDepth(waiting, pending);
  }

  /** The queues jobs were submitted to, as the queues set lists them. */
  List<String> queues() {
    List<String> queues = new ArrayList<>(call(() -> redis.smembers(keys.queues())));
    queues.sort(Comparator.naturalOrder());
    return queues;
  }

  private long backlog(String queue) {
    long total = 0;
    for (String tenant : call(() -> redis.zrange(keys.backlogTenants(queue), 0, -1))) {
      total += call(() -> redis.llen(keys.backlogPrefix(queue) + tenant));
    }
    return total;
  }

  @Override
  public boolean ping() {
    try {
      return "PONG".equals(redis.ping());
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public Optional<Delivery> take(String consumer, Duration block) {
    return takeFrom(consumer, block, queues());
  }

  @Override
  public Optional<Delivery> take(String consumer, Duration block, Collection<String> languages) {
    List<String> queues = new ArrayList<>();
    for (String language : languages) {
      for (int shard = 0; shard < options.shards(); shard++) {
        queues.add(Keys.queue(language, shard, options.shards()));
      }
    }
    return takeFrom(consumer, block, queues);
  }

  /**
   * One queue: waits on it. Several: one pass over them all without waiting (from a rotating start,
   * so that no queue is always last), then a short wait on one of them, in turn. A queue is one
   * stream in one slot, and a blocking read cannot span slots.
   */
  private Optional<Delivery> takeFrom(String consumer, Duration block, List<String> queues) {
    if (queues.isEmpty()) {
      pause(block.compareTo(MULTI_QUEUE_WAIT) < 0 ? block : MULTI_QUEUE_WAIT);
      return Optional.empty();
    }
    int first = Math.floorMod(rotation.getAndIncrement(), queues.size());
    if (queues.size() == 1) {
      return takeOnce(queues.get(0), consumer, block);
    }
    for (int i = 0; i < queues.size(); i++) {
      Optional<Delivery> delivery = takeOnce(queues.get((first + i) % queues.size()), consumer, Duration.ZERO);
      if (delivery.isPresent()) {
        return delivery;
      }
    }
    if (block.isZero()) {
      return Optional.empty();
    }
    return takeOnce(queues.get(first), consumer, block.compareTo(MULTI_QUEUE_WAIT) < 0 ? block : MULTI_QUEUE_WAIT);
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

  private Optional<Delivery> read(String queue, String consumer, Duration block) {
    Optional<Delivery> reclaimed = reclaim(queue, consumer);
    if (reclaimed.isPresent()) {
      return reclaimed;
    }
    feed(queue);
    XReadGroupParams params = XReadGroupParams.xReadGroupParams().count(1);
    if (!block.isZero()) {
      params.block((int) block.toMillis());
    }
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

  /** Moves backlog jobs into the queue's stream, tenants in turn, while few entries wait there. */
  private void feed(String queue) {
    List<byte[]> keyList =
        List.of(bytes(keys.jobs(queue)), bytes(keys.backlogTenants(queue)), bytes(keys.turn(queue)));
    List<byte[]> args = List.of(bytes(Keys.WORKER_GROUP), bytes(Integer.toString(FEED_TARGET)),
        bytes(keys.backlogPrefix(queue)));
    call(() -> FEED.run(redis, keyList, args));
  }

  /** Takes over one entry of the queue whose owner has not renewed it for a whole lease. */
  private Optional<Delivery> reclaim(String queue, String consumer) {
    StreamEntryID cursor = reclaimCursors.getOrDefault(queue, new StreamEntryID(0, 0));
    var claimed =
        call(
            () ->
                redis.xautoclaim(
                    keys.jobs(queue),
                    Keys.WORKER_GROUP,
                    consumer,
                    options.lease().toMillis(),
                    cursor,
                    XAutoClaimParams.xAutoClaimParams().count(1)));
    // XAUTOCLAIM looks at a few pending entries per call: go on from where it stopped
    reclaimCursors.put(queue, claimed.getKey());
    for (var entry : claimed.getValue()) {
      String jobId = entry.getFields() == null ? null : entry.getFields().get("job");
      Optional<Delivery> delivery = start(queue, consumer, entry.getID().toString(), jobId, true);
      if (delivery.isPresent()) {
        return delivery;
      }
    }
    return Optional.empty();
  }

  private static String jobField(Map<byte[], byte[]> fields) {
    for (Map.Entry<byte[], byte[]> field : fields.entrySet()) {
      if ("job".equals(new String(field.getKey(), StandardCharsets.UTF_8))) {
        return new String(field.getValue(), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private Optional<Delivery> start(String queue, String consumer, String entryId, String jobId, boolean reclaimed) {
    if (jobId == null) {
      call(() -> redis.xack(keys.jobs(queue), Keys.WORKER_GROUP, new StreamEntryID(entryId)));
      return Optional.empty();
    }
    Result dead =
        Result.newBuilder()
            .setVerdict(Verdict.VERDICT_INTERNAL_ERROR)
            .setErrorReason(ErrorReasons.DELIVERY_LIMIT)
            .setMessage("the job was delivered " + options.maxDeliveries()
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
            bytes(ABANDONED_LEASE),
            bytes(ABANDONED_RELEASED));
    List<?> claimed =
        (List<?>) call(() -> CLAIM.run(redis, jobKeys(jobId, keys.jobs(queue), keys.deadLetters(queue)), args));
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
      return Optional.of(new Delivery(entryId, jobId, (int) attempt, SubmitRequest.parseFrom(spec), reclaimed, queue));
    } catch (InvalidProtocolBufferException e) {
      // no delivery could ever read it: the job ends now instead of after every delivery's lease
      Delivery unreadable =
          new Delivery(entryId, jobId, (int) attempt, SubmitRequest.getDefaultInstance(), reclaimed, queue);
      complete(unreadable, 1, Result.newBuilder().setVerdict(Verdict.VERDICT_INTERNAL_ERROR)
          .setErrorReason(ErrorReasons.INVALID_JOB)
          .setMessage("the stored job could not be read: " + e.getMessage()).build(), JobState.JOB_STATE_DONE);
      ack(unreadable);
      return Optional.empty();
    }
  }

  @Override
  public boolean renew(Delivery delivery, String consumer) {
    return claimAgain(delivery, consumer, 0);
  }

  @Override
  public void release(Delivery delivery, String consumer) {
    claimAgain(delivery, consumer, options.lease().toMillis());
  }

  private boolean claimAgain(Delivery delivery, String consumer, long idleMillis) {
    List<byte[]> keyList = List.of(bytes(keys.job(delivery.jobId())), bytes(keys.jobs(delivery.queue())));
    List<byte[]> args =
        List.of(
            bytes(Integer.toString(delivery.attempt())),
            bytes(Keys.WORKER_GROUP),
            bytes(consumer),
            bytes(delivery.entryId()),
            bytes(Long.toString(idleMillis)));
    return Long.valueOf(1).equals(call(() -> RENEW.run(redis, keyList, args)));
  }

  @Override
  public void heartbeat(String workerId, int slots, List<String> jobIds, Duration ttl) {
    heartbeat(workerId, slots, jobIds, ttl, List.of());
  }

  @Override
  public void heartbeat(String workerId, int slots, List<String> jobIds, Duration ttl, List<String> languages) {
    String key = keys.worker(workerId);
    Map<String, String> fields =
        Map.of(
            "slots", Integer.toString(slots),
            "busy", Integer.toString(jobIds.size()),
            "jobs", String.join(",", jobIds),
            "languages", String.join(",", languages),
            "updated_ms", Long.toString(clock.millis()));
    call(
        () -> {
          redis.hset(key, fields);
          return redis.pexpire(key, ttl.toMillis());
        });
  }

  @Override
  public JobOrigin origin(String jobId) {
    List<String> fields = call(() -> redis.hmget(keys.job(jobId), "traceparent", "created_ms"));
    String created = fields.get(1);
    return new JobOrigin(fields.get(0) == null ? "" : fields.get(0), created == null ? 0 : Long.parseLong(created));
  }

  @Override
  public void pruneConsumers(Duration idle, String stopping) {
    List<byte[]> args = List.of(bytes(Keys.WORKER_GROUP), bytes(Long.toString(idle.toMillis())),
        bytes(stopping == null ? "" : stopping));
    for (String queue : queues()) {
      call(() -> PRUNE.run(redis, List.of(bytes(keys.jobs(queue))), args));
    }
  }

  @Override
  public long deadLettered() {
    return deadLettered.get();
  }

  @Override
  public boolean publish(Delivery delivery, long seq, JobEvent event, JobState newState) {
    List<byte[]> args =
        List.of(
            bytes(Integer.toString(delivery.attempt())),
            event.toBuilder().setAttempt(delivery.attempt()).build().toByteArray(),
            bytes(newState == null ? "" : StoredState.of(newState)),
            bytes(Long.toString(options.jobTtl().toMillis())),
            bytes(Long.toString(checkSeq(seq))));
    Object written = call(() -> PUBLISH.run(redis, jobKeys(delivery.jobId()), args));
    return written instanceof Long n && n > 0;
  }

  @Override
  public boolean complete(Delivery delivery, long seq, Result result, JobState finalState) {
    Result stored = result.toBuilder().setAttempt(delivery.attempt()).build();
    // the stream carried the output as chunks: its result event leaves it out, so that no event
    // is larger than a chunk plus the figures (the record's result keeps it, for GetJob)
    JobEvent event = JobEvent.newBuilder().setAttempt(delivery.attempt())
        .setResult(stored.toBuilder().clearStdout().clearStderr()).build();
    List<byte[]> args =
        List.of(
            bytes(Integer.toString(delivery.attempt())),
            stored.toByteArray(),
            event.toByteArray(),
            bytes(StoredState.of(finalState)),
            bytes(Long.toString(options.jobTtl().toMillis())),
            bytes(Long.toString(clock.millis())),
            bytes(Long.toString(checkSeq(seq))));
    Object written = call(() -> storeResult(jobKeys(delivery.jobId()), args));
    if (written instanceof Long n && n > 0) {
      activeSet.ended(delivery.jobId()); // quota: the job ended (completed or cancelled by its worker)
      return true;
    }
    return false;
  }

  /**
   * Runs the complete script; with {@code replica:N} durability it then WAITs on the same
   * connection, so that the delivery is acknowledged only once the result is on the replicas (a
   * failover to one of them then keeps the result, and the job does not run, and end, again). A
   * WAIT that runs out is logged, not thrown: the result is stored, and a failover in that moment
   * runs the job again.
   */
  private Object storeResult(List<byte[]> keyList, List<byte[]> args) {
    Durability durability = options.durability();
    if (durability.kind() != Durability.Kind.REPLICAS) {
      return COMPLETE.run(redis, keyList, args);
    }
    LuaScript.Replicated written =
        COMPLETE.runAndWait(redis, keyList, args, durability.replicas(), durability.timeout().toMillis());
    if (written.replicas() < durability.replicas()) {
      org.slf4j.LoggerFactory.getLogger(RedisQueue.class).warn("a result reached {} of {} replicas in {}",
          written.replicas(), durability.replicas(), durability.timeout());
    }
    return written.reply();
  }

  private static long checkSeq(long seq) {
    if (seq < 1) {
      throw new IllegalArgumentException("event number: " + seq + " (expected: 1, 2, ... within an attempt)");
    }
    return seq;
  }

  @Override
  public void ack(Delivery delivery) {
    List<byte[]> keyList = List.of(bytes(keys.job(delivery.jobId())), bytes(keys.jobs(delivery.queue())));
    List<byte[]> args = List.of(bytes(Keys.WORKER_GROUP), bytes(delivery.entryId()));
    call(() -> ACK.run(redis, keyList, args));
  }

  @Override
  public boolean cancelRequested(String jobId) {
    return call(() -> redis.hexists(keys.job(jobId), "cancel"));
  }

  @Override
  public void advertise(List<Language> languages) {
    if (languages.isEmpty()) {
      return;
    }
    Map<byte[], byte[]> fields = new java.util.HashMap<>();
    Map<String, Double> served = new java.util.HashMap<>();
    double now = clock.millis();
    for (Language language : languages) {
      fields.put(bytes(language.getName()), language.toByteArray());
      served.put(language.getName(), now);
    }
    byte[] key = bytes(keys.languages());
    call(
        () -> {
          redis.hset(key, fields);
          redis.pexpire(key, options.languagesTtl().toMillis());
          redis.zadd(keys.served(), served);
          return redis.pexpire(keys.served(), options.languagesTtl().toMillis());
        });
  }

  /**
   * How recently a worker must have advertised a language for it to be served: three of the
   * workers' 5 s heartbeats.
   */
  public static final Duration SERVED_WINDOW = Duration.ofSeconds(15);

  @Override
  public java.util.Set<String> servedLanguages() {
    double since = clock.millis() - SERVED_WINDOW.toMillis();
    return new java.util.HashSet<>(call(() -> redis.zrangeByScore(keys.served(), since, Double.POSITIVE_INFINITY)));
  }

  @Override
  public void close() {
    redis.close();
  }

  /** The pool, for an admission store that shares it. */
  UnifiedJedis pool() {
    return redis;
  }

  private List<byte[]> jobKeys(String jobId, String... more) {
    List<byte[]> list = new ArrayList<>();
    list.add(bytes(keys.job(jobId)));
    list.add(bytes(keys.events(jobId)));
    for (String key : more) {
      list.add(bytes(key));
    }
    return list;
  }

  private static String text(byte[] value, String fallback) {
    return value == null ? fallback : new String(value, StandardCharsets.UTF_8);
  }

  private <T> T call(Supplier<T> command) {
    return dev.polyrun.queue.internal.RedisCalls.call(command);
  }

  private interface Parser<T> {
    T parse() throws InvalidProtocolBufferException;
  }

  private static <T> T parse(Parser<T> parser, String what) {
    try {
      return parser.parse();
    } catch (InvalidProtocolBufferException e) {
      throw new QueueDataException("unreadable " + what + ": " + e.getMessage(), e);
    }
  }
}
