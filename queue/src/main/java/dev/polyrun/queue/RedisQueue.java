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
import dev.polyrun.queue.internal.Keys;
import dev.polyrun.queue.internal.StoredState;
import dev.polyrun.queue.internal.LuaScript;
import dev.polyrun.queue.internal.RedisClients;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
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
  private static final byte[] EVENT_FIELD = bytes("e");
  private static final LuaScript SUBMIT = LuaScript.load("submit");
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

  private final UnifiedJedis redis;
  private final Keys keys;
  private final QueueOptions options;
  private final Clock clock;
  private final java.util.concurrent.atomic.AtomicLong deadLettered = new java.util.concurrent.atomic.AtomicLong();
  private volatile StreamEntryID reclaimCursor = new StreamEntryID(0, 0);

  RedisQueue(UnifiedJedis redis, QueueOptions options, Clock clock) {
    this.redis = redis;
    this.keys = new Keys(options.keyPrefix());
    this.options = options;
    this.clock = clock;
  }

  /**
   * Connects to Redis and creates the worker group on the jobs stream when missing. Blocking reads
   * may wait up to {@code maxBlock}; their socket timeout is set above it.
   */
  public static RedisQueue connect(RedisSettings settings, QueueOptions options, Duration maxBlock) {
    RedisQueue queue =
        new RedisQueue(RedisClients.create(settings, maxBlock), options, Clock.systemUTC());
    try {
      queue.call(queue::ensureGroup);
    } catch (RuntimeException e) {
      queue.close();
      throw e;
    }
    return queue;
  }

  private Void ensureGroup() {
    try {
      redis.xgroupCreate(keys.jobs(), Keys.WORKER_GROUP, new StreamEntryID(0, 0), true);
    } catch (JedisDataException e) {
      if (!String.valueOf(e.getMessage()).startsWith("BUSYGROUP")) {
        throw e;
      }
    }
    return null;
  }

  @Override
  public String submit(SubmitRequest request, String tenant) {
    return submit(request, tenant, "");
  }

  @Override
  public String submit(SubmitRequest request, String tenant, String traceParent) {
    String jobId = UUID.randomUUID().toString();
    long now = clock.millis();
    byte[] queued = stateEvent(JobState.JOB_STATE_QUEUED, 0).toByteArray();
    List<byte[]> args =
        List.of(
            bytes(jobId),
            request.toByteArray(),
            bytes(request.getLanguage()),
            bytes(Long.toString(now)),
            bytes(Long.toString(options.queuedTtl().toMillis())),
            queued,
            bytes(tenant),
            bytes(Keys.WORKER_GROUP),
            bytes(traceParent == null ? "" : traceParent));
    List<byte[]> keyList =
        jobKeys(jobId, keys.jobs(), keys.backlogTenants(), keys.backlogPrefix() + tenant, keys.turn());
    call(() -> SUBMIT.run(redis, keyList, args));
    return jobId;
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
  public Optional<String> tenantOf(String jobId) {
    List<String> fields = call(() -> redis.hmget(keys.job(jobId), "state", "tenant"));
    if (fields.get(0) == null) {
      return Optional.empty();
    }
    return Optional.of(fields.get(1) == null ? "" : fields.get(1));
  }

  @Override
  public List<JobEvent> readEvents(String jobId, String afterCursor, Duration block, int max) {
    StreamEntryID after =
        afterCursor == null || afterCursor.isEmpty()
            ? new StreamEntryID(0, 0)
            : new StreamEntryID(afterCursor);
    XReadParams params = XReadParams.xReadParams().count(max);
    if (!block.isZero()) {
      params.block((int) block.toMillis());
    }
    List<Map.Entry<byte[], List<StreamEntryBinary>>> read =
        call(() -> redis.xreadBinary(params, Map.of(bytes(keys.events(jobId)), after)));
    List<JobEvent> events = new ArrayList<>();
    if (read == null) {
      return events;
    }
    for (Map.Entry<byte[], List<StreamEntryBinary>> stream : read) {
      for (StreamEntryBinary entry : stream.getValue()) {
        events.add(decodeEvent(jobId, entry));
      }
    }
    return events;
  }

  private JobEvent decodeEvent(String jobId, StreamEntryBinary entry) {
    byte[] data = null;
    for (Map.Entry<byte[], byte[]> field : entry.getFields().entrySet()) {
      if (java.util.Arrays.equals(field.getKey(), EVENT_FIELD)) {
        data = field.getValue();
      }
    }
    byte[] raw = data == null ? new byte[0] : data;
    return parse(() -> JobEvent.parseFrom(raw), "event " + entry.getID() + " of job " + jobId)
        .toBuilder()
        .setCursor(entry.getID().toString())
        .setJobId(jobId)
        .build();
  }

  @Override
  public Optional<JobState> cancel(String jobId) {
    Result cancelled =
        Result.newBuilder()
            .setVerdict(Verdict.VERDICT_CANCELLED)
            .setMessage("cancelled before it ran")
            .build();
    List<byte[]> args =
        List.of(
            cancelled.toByteArray(),
            JobEvent.newBuilder().setResult(cancelled).build().toByteArray(),
            bytes(Long.toString(options.jobTtl().toMillis())),
            bytes(Long.toString(clock.millis())));
    Object state = call(() -> CANCEL.run(redis, jobKeys(jobId), args));
    if (state == null) {
      return Optional.empty();
    }
    return Optional.of(StoredState.parse(new String((byte[]) state, StandardCharsets.UTF_8)));
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
    List<StreamGroupInfo> groups = call(() -> redis.xinfoGroups(keys.jobs()));
    for (StreamGroupInfo group : groups) {
      if (Keys.WORKER_GROUP.equals(group.getName())) {
        Object lag = group.getGroupInfo().get("lag");
        long waiting = lag instanceof Long l ? l : 0L;
        return new QueueDepth(waiting + backlog(), group.getPending());
      }
    }
    return new QueueDepth(backlog(), 0);
  }

  private long backlog() {
    long total = 0;
    for (String tenant : call(() -> redis.zrange(keys.backlogTenants(), 0, -1))) {
      total += call(() -> redis.llen(keys.backlogPrefix() + tenant));
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
    try {
      return takeOnce(consumer, block);
    } catch (JedisDataException e) {
      if (!String.valueOf(e.getMessage()).startsWith("NOGROUP")) {
        throw e;
      }
      // Redis lost its data (restarted without persistence): recreate the group, read again
      call(this::ensureGroup);
      return takeOnce(consumer, block);
    }
  }

  private Optional<Delivery> takeOnce(String consumer, Duration block) {
    Optional<Delivery> reclaimed = reclaim(consumer);
    if (reclaimed.isPresent()) {
      return reclaimed;
    }
    feed();
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
                    Map.of(bytes(keys.jobs()), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)));
    if (read == null) {
      return Optional.empty();
    }
    for (Map.Entry<byte[], List<StreamEntryBinary>> stream : read) {
      for (StreamEntryBinary entry : stream.getValue()) {
        Optional<Delivery> delivery = start(consumer, entry.getID().toString(), jobField(entry.getFields()), false);
        if (delivery.isPresent()) {
          return delivery;
        }
      }
    }
    return Optional.empty();
  }

  /** Moves backlog jobs into the jobs stream, tenants in turn, while few entries wait there. */
  private void feed() {
    List<byte[]> keyList = List.of(bytes(keys.jobs()), bytes(keys.backlogTenants()), bytes(keys.turn()));
    List<byte[]> args = List.of(bytes(Keys.WORKER_GROUP), bytes(Integer.toString(FEED_TARGET)), bytes(keys.backlogPrefix()));
    call(() -> FEED.run(redis, keyList, args));
  }

  /** Takes over one entry whose owner has not renewed it for a whole lease. */
  private Optional<Delivery> reclaim(String consumer) {
    var claimed =
        call(
            () ->
                redis.xautoclaim(
                    keys.jobs(),
                    Keys.WORKER_GROUP,
                    consumer,
                    options.lease().toMillis(),
                    reclaimCursor,
                    XAutoClaimParams.xAutoClaimParams().count(1)));
    // XAUTOCLAIM looks at a few pending entries per call: go on from where it stopped
    reclaimCursor = claimed.getKey();
    for (var entry : claimed.getValue()) {
      String jobId = entry.getFields() == null ? null : entry.getFields().get("job");
      Optional<Delivery> delivery = start(consumer, entry.getID().toString(), jobId, true);
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

  private Optional<Delivery> start(String consumer, String entryId, String jobId, boolean reclaimed) {
    if (jobId == null) {
      call(() -> redis.xack(keys.jobs(), Keys.WORKER_GROUP, new StreamEntryID(entryId)));
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
            bytes(Long.toString(clock.millis())));
    List<?> claimed =
        (List<?>) call(() -> CLAIM.run(redis, jobKeys(jobId, keys.jobs(), keys.deadLetters()), args));
    long attempt = (Long) claimed.get(0);
    if (attempt == -2) {
      deadLettered.incrementAndGet();
    }
    if (attempt <= 0) {
      return Optional.empty();
    }
    byte[] spec = (byte[]) claimed.get(1);
    try {
      return Optional.of(new Delivery(entryId, jobId, (int) attempt, SubmitRequest.parseFrom(spec), reclaimed));
    } catch (InvalidProtocolBufferException e) {
      // no delivery could ever read it: the job ends now instead of after every delivery's lease
      Delivery unreadable = new Delivery(entryId, jobId, (int) attempt, SubmitRequest.getDefaultInstance(), reclaimed);
      complete(unreadable, Result.newBuilder().setVerdict(Verdict.VERDICT_INTERNAL_ERROR)
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
    List<byte[]> keyList = List.of(bytes(keys.job(delivery.jobId())), bytes(keys.jobs()));
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
    call(() -> PRUNE.run(redis, List.of(bytes(keys.jobs())), args));
  }

  @Override
  public long deadLettered() {
    return deadLettered.get();
  }

  @Override
  public boolean publish(Delivery delivery, JobEvent event, JobState newState) {
    List<byte[]> args =
        List.of(
            bytes(Integer.toString(delivery.attempt())),
            event.toByteArray(),
            bytes(newState == null ? "" : StoredState.of(newState)),
            bytes(Long.toString(options.jobTtl().toMillis())));
    Object id = call(() -> PUBLISH.run(redis, jobKeys(delivery.jobId()), args));
    return id != null;
  }

  @Override
  public boolean complete(Delivery delivery, Result result, JobState finalState) {
    List<byte[]> args =
        List.of(
            bytes(Integer.toString(delivery.attempt())),
            result.toByteArray(),
            JobEvent.newBuilder().setResult(result).build().toByteArray(),
            bytes(StoredState.of(finalState)),
            bytes(Long.toString(options.jobTtl().toMillis())),
            bytes(Long.toString(clock.millis())));
    Object stored = call(() -> COMPLETE.run(redis, jobKeys(delivery.jobId()), args));
    return Long.valueOf(1).equals(stored);
  }

  @Override
  public void ack(Delivery delivery) {
    List<byte[]> keyList = List.of(bytes(keys.job(delivery.jobId())), bytes(keys.jobs()));
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
    for (Language language : languages) {
      fields.put(bytes(language.getName()), language.toByteArray());
    }
    byte[] key = bytes(keys.languages());
    call(
        () -> {
          redis.hset(key, fields);
          return redis.pexpire(key, options.languagesTtl().toMillis());
        });
  }

  @Override
  public void close() {
    redis.close();
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

  private static JobEvent stateEvent(JobState state, int attempt) {
    return JobEvent.newBuilder()
        .setState(StateChange.newBuilder().setState(state).setAttempt(attempt))
        .build();
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
