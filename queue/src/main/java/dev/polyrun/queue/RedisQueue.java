package dev.polyrun.queue;

import static dev.polyrun.queue.internal.Keys.bytes;

import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.queue.internal.AdmissionKeys;
import dev.polyrun.queue.internal.Keys;
import dev.polyrun.queue.internal.LuaScript;
import dev.polyrun.queue.internal.RedisClients;
import dev.polyrun.queue.internal.StoredState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamGroupInfo;

/**
 * The Redis implementation of both sides of the queue. One instance holds a connection pool; share
 * it, and close it once.
 */
public final class RedisQueue implements JobQueue, WorkQueue {
  private static final LuaScript PUBLISH = LuaScript.load("publish");
  private static final LuaScript COMPLETE = LuaScript.load("complete");
  private static final LuaScript RENEW = LuaScript.load("renew");
  private static final LuaScript ACK = LuaScript.load("ack");
  private static final LuaScript PRUNE = LuaScript.load("prune");

  private final UnifiedJedis redis;
  private final RedisSettings settings;
  private final Keys keys;
  private final AdmissionKeys tenantKeys;
  private final QueueOptions options;
  private final Clock clock;

  /** Why an attempt was abandoned, as {@code AttemptAbandoned.reason} says. */
  static final String ABANDONED_LEASE =
      "its worker stopped renewing the lease (it died, or stalled past the lease)";

  static final String ABANDONED_RELEASED = "its worker shut down before the job ended";
  private final ActiveSet activeSet;
  private final SubmitScript submitScript;
  private final java.util.concurrent.atomic.AtomicLong deadLettered =
      new java.util.concurrent.atomic.AtomicLong();
  private final JobTaker taker;
  private final LanguageRegistry registry;
  private final JobRecords records;

  RedisQueue(UnifiedJedis redis, RedisSettings settings, QueueOptions options, Clock clock) {
    this.redis = redis;
    this.settings = settings;
    this.keys = new Keys(options.keyPrefix());
    this.tenantKeys = new AdmissionKeys(options.keyPrefix());
    this.options = options;
    this.clock = clock;
    this.activeSet = new ActiveSet(redis, keys, tenantKeys);
    this.submitScript = new SubmitScript(redis, keys, tenantKeys, options, clock);
    this.registry = new LanguageRegistry(redis, keys, options, clock);
    this.records = new JobRecords(redis, keys, options, clock, activeSet);
    this.taker =
        new JobTaker(redis, keys, options, clock, activeSet, deadLettered, this::endUnreadable);
  }

  /** Ends a delivered job whose stored request no delivery could ever read, at once. */
  private void endUnreadable(Delivery unreadable, String why) {
    complete(
        unreadable,
        1,
        Result.newBuilder()
            .setVerdict(Verdict.VERDICT_INTERNAL_ERROR)
            .setErrorReason(ErrorReasons.INVALID_JOB)
            .setMessage("the stored job could not be read: " + why)
            .build(),
        JobState.JOB_STATE_DONE);
    ack(unreadable);
  }

  /**
   * A queue on Redis that talks to it only when first used, so it can be created while Redis is
   * down. Blocking reads may wait up to {@code maxBlock}; their socket timeout is set above it.
   */
  public static RedisQueue create(RedisSettings settings, QueueOptions options, Duration maxBlock) {
    return new RedisQueue(
        RedisClients.create(settings, maxBlock), settings, options, Clock.systemUTC());
  }

  /**
   * Connects to Redis (a pool of {@link RedisSettings#maxConnections()}) and checks that it
   * answers. Each queue's worker group is created by the first worker that reads the queue.
   * Blocking reads may wait up to {@code maxBlock}; their socket timeout is set above it.
   *
   * @throws QueueUnavailableException when Redis cannot be reached
   * @throws QueueAccessException when Redis refuses the user or password (naming the user and
   *     address)
   */
  public static RedisQueue connect(
      RedisSettings settings, QueueOptions options, Duration maxBlock) {
    RedisQueue queue = create(settings, options, maxBlock);
    try {
      queue.call(queue.redis::ping);
    } catch (RuntimeException e) {
      queue.close();
      throw dev.polyrun.queue.internal.RedisCalls.naming(e, settings);
    }
    return queue;
  }

  /**
   * Checks that Redis answers, saying why when it does not.
   *
   * @throws QueueAccessException when Redis refuses the credentials (naming the user and address)
   * @throws QueueUnavailableException when Redis cannot be reached
   */
  public void checkAnswers() {
    try {
      call(redis::ping);
    } catch (RuntimeException e) {
      throw settings == null ? e : dev.polyrun.queue.internal.RedisCalls.naming(e, settings);
    }
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
      return call(
          () ->
              dev.polyrun.queue.internal.DurabilityProbe.checkCluster(
                  cluster, settings, options.durability()));
    }
    return call(
        () -> dev.polyrun.queue.internal.DurabilityProbe.check(redis, options.durability()));
  }

  @Override
  public Optional<Job> getJob(String jobId) {
    return records.getJob(jobId);
  }

  @Override
  public Optional<JobHead> head(String jobId) {
    return records.head(jobId);
  }

  @Override
  public Optional<JobView> headAndEvents(String jobId, String afterCursor, int max) {
    return records.headAndEvents(jobId, afterCursor, max);
  }

  @Override
  public List<JobEvent> readEvents(String jobId, String afterCursor, Duration block, int max) {
    return records.readEvents(jobId, afterCursor, block, max);
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
    return records.cancel(jobId);
  }

  @Override
  public List<Language> languages() {
    return registry.languages();
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
    return taker.take(consumer, block, queues());
  }

  @Override
  public Optional<Delivery> take(String consumer, Duration block, Collection<String> queueNames) {
    List<String> queues = new ArrayList<>();
    for (String name : queueNames) {
      for (int shard = 0; shard < options.shards(); shard++) {
        queues.add(Keys.queue(name, shard, options.shards()));
      }
    }
    return taker.take(consumer, block, queues);
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
    List<byte[]> keyList =
        List.of(bytes(keys.job(delivery.jobId())), bytes(keys.jobs(delivery.queue())));
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
  public void heartbeat(
      String workerId, int slots, List<String> jobIds, Duration ttl, List<String> languages) {
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
    return new JobOrigin(
        fields.get(0) == null ? "" : fields.get(0), created == null ? 0 : Long.parseLong(created));
  }

  @Override
  public void pruneConsumers(Duration idle, String stopping) {
    List<byte[]> args =
        List.of(
            bytes(Keys.WORKER_GROUP),
            bytes(Long.toString(idle.toMillis())),
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
    Object written = call(() -> PUBLISH.run(redis, keys.scriptKeys(delivery.jobId()), args));
    return written instanceof Long n && n > 0;
  }

  @Override
  public boolean complete(Delivery delivery, long seq, Result result, JobState finalState) {
    Result stored = result.toBuilder().setAttempt(delivery.attempt()).build();
    // the stream carried the output as chunks: its result event leaves it out, so that no event
    // is larger than a chunk plus the figures (the record's result keeps it, for GetJob)
    JobEvent event =
        JobEvent.newBuilder()
            .setAttempt(delivery.attempt())
            .setResult(stored.toBuilder().clearStdout().clearStderr())
            .build();
    List<byte[]> args =
        List.of(
            bytes(Integer.toString(delivery.attempt())),
            stored.toByteArray(),
            event.toByteArray(),
            bytes(StoredState.of(finalState)),
            bytes(Long.toString(options.jobTtl().toMillis())),
            bytes(Long.toString(clock.millis())),
            bytes(Long.toString(checkSeq(seq))));
    Object written = call(() -> storeResult(keys.scriptKeys(delivery.jobId()), args));
    if (written instanceof Long n && n > 0) {
      activeSet.ended(
          delivery.jobId()); // quota: the job ended (completed or cancelled by its worker)
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
        COMPLETE.runAndWait(
            redis, keyList, args, durability.replicas(), durability.timeout().toMillis());
    if (written.replicas() < durability.replicas()) {
      org.slf4j.LoggerFactory.getLogger(RedisQueue.class)
          .warn(
              "a result reached {} of {} replicas in {}",
              written.replicas(),
              durability.replicas(),
              durability.timeout());
    }
    return written.reply();
  }

  private static long checkSeq(long seq) {
    if (seq < 1) {
      throw new IllegalArgumentException(
          "event number: " + seq + " (expected: 1, 2, ... within an attempt)");
    }
    return seq;
  }

  @Override
  public void ack(Delivery delivery) {
    List<byte[]> keyList =
        List.of(bytes(keys.job(delivery.jobId())), bytes(keys.jobs(delivery.queue())));
    List<byte[]> args = List.of(bytes(Keys.WORKER_GROUP), bytes(delivery.entryId()));
    call(() -> ACK.run(redis, keyList, args));
  }

  @Override
  public boolean cancelRequested(String jobId) {
    return call(() -> redis.hexists(keys.job(jobId), "cancel"));
  }

  @Override
  public void advertise(List<Language> languages) {
    registry.advertise(languages);
  }

  /**
   * How recently a worker must have advertised a language for it to be served: three of the
   * workers' 5 s heartbeats.
   */
  public static final Duration SERVED_WINDOW = Duration.ofSeconds(15);

  @Override
  public java.util.Set<String> servedQueues() {
    return registry.served(SERVED_WINDOW);
  }

  @Override
  public void close() {
    redis.close();
  }

  /** The pool, for an admission store that shares it. */
  UnifiedJedis pool() {
    return redis;
  }

  private <T> T call(Supplier<T> command) {
    return dev.polyrun.queue.internal.RedisCalls.call(command);
  }
}
