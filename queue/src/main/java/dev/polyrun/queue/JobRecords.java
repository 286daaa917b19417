package dev.polyrun.queue;

import static dev.polyrun.queue.internal.Keys.bytes;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.queue.JobQueue.JobView;
import dev.polyrun.queue.internal.EventCodec;
import dev.polyrun.queue.internal.Keys;
import dev.polyrun.queue.internal.LuaScript;
import dev.polyrun.queue.internal.RedisCalls;
import dev.polyrun.queue.internal.StoredState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntryBinary;

/**
 * The coordinator's side of a job's record: reading it and its events, and cancelling it (a job in
 * its tenant's backlog leaves it in the same step). Thread-safe; one per {@link RedisQueue}.
 */
final class JobRecords {
  private static final LuaScript CANCEL = LuaScript.load("cancel");

  private final UnifiedJedis redis;
  private final Keys keys;
  private final QueueOptions options;
  private final Clock clock;
  private final ActiveSet activeSet;

  JobRecords(
      UnifiedJedis redis, Keys keys, QueueOptions options, Clock clock, ActiveSet activeSet) {
    this.redis = redis;
    this.keys = keys;
    this.options = options;
    this.clock = clock;
    this.activeSet = activeSet;
  }

  Optional<Job> getJob(String jobId) {
    Map<byte[], byte[]> fields = call(() -> redis.hgetAll(bytes(keys.job(jobId))));
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    Map<String, byte[]> f = new HashMap<>();
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
      job.setResult(parseResult(f.get("result"), jobId));
    }
    return Optional.of(job.build());
  }

  Optional<JobHead> head(String jobId) {
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

  Optional<JobView> headAndEvents(String jobId, String afterCursor, int max) {
    Map<byte[], StreamEntryID> from = Map.of(bytes(keys.events(jobId)), cursorOf(afterCursor));
    return call(
        () -> {
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
    return afterCursor == null || afterCursor.isEmpty()
        ? new StreamEntryID(0, 0)
        : new StreamEntryID(afterCursor);
  }

  private static List<JobEvent> decode(
      String jobId, List<Map.Entry<byte[], List<StreamEntryBinary>>> read) {
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

  List<JobEvent> readEvents(String jobId, String afterCursor, Duration block, int max) {
    XReadParams params = XReadParams.xReadParams().count(max);
    if (!block.isZero()) {
      params.block((int) block.toMillis());
    }
    return decode(
        jobId,
        call(
            () ->
                redis.xreadBinary(
                    params, Map.of(bytes(keys.events(jobId)), cursorOf(afterCursor)))));
  }

  Optional<JobState> cancel(String jobId) {
    Result notStarted = cancelled("cancelled before it started");
    Result ranBefore =
        cancelled(
            "cancelled while waiting to run again (an earlier attempt started, and its"
                + " worker was lost)");
    List<byte[]> args =
        new ArrayList<>(
            List.of(
                notStarted.toByteArray(),
                JobEvent.newBuilder().setResult(notStarted).build().toByteArray(),
                bytes(Long.toString(options.jobTtl().toMillis())),
                bytes(Long.toString(clock.millis())),
                ranBefore.toByteArray(),
                JobEvent.newBuilder().setResult(ranBefore).build().toByteArray(),
                bytes("")));
    Object state = call(() -> CANCEL.run(redis, cancelKeys(jobId, args), args));
    if (state == null) {
      return Optional.empty();
    }
    JobState after = StoredState.parse(new String((byte[]) state, StandardCharsets.UTF_8));
    if (after == JobState.JOB_STATE_CANCELLED) {
      // the tenant's active set is in the tenant's slot, not the job's: uncounted in a step of its
      // own
      activeSet.ended(jobId);
    }
    return Optional.of(after);
  }

  /**
   * The cancel script's keys: the job's, and for a job submitted into its tenant's backlog that
   * backlog's, read from the record (its queue and tenant never change), so that the job leaves the
   * backlog in the step that cancels it. Sets the script's tenant argument (the last).
   */
  private List<byte[]> cancelKeys(String jobId, List<byte[]> args) {
    List<String> where = call(() -> redis.hmget(keys.job(jobId), "queue", "tenant", "backlog"));
    if (where.get(0) == null || where.get(1) == null || where.get(2) == null) {
      return keys.scriptKeys(jobId);
    }
    args.set(args.size() - 1, bytes(where.get(1)));
    return keys.scriptKeys(
        jobId, keys.backlogPrefix(where.get(0)) + where.get(1), keys.backlogTenants(where.get(0)));
  }

  private static Result cancelled(String message) {
    return Result.newBuilder().setVerdict(Verdict.VERDICT_CANCELLED).setMessage(message).build();
  }

  private static String text(byte[] value, String fallback) {
    return value == null ? fallback : new String(value, StandardCharsets.UTF_8);
  }

  private static <T> T call(Supplier<T> command) {
    return RedisCalls.call(command);
  }

  private static Result parseResult(byte[] bytes, String jobId) {
    try {
      return Result.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new QueueDataException("unreadable result of job " + jobId + ": " + e.getMessage(), e);
    }
  }
}
