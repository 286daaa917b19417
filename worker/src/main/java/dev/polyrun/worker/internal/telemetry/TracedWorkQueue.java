package dev.polyrun.worker.internal.telemetry;

import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.queue.Delivery;
import dev.polyrun.queue.JobOrigin;
import dev.polyrun.queue.WorkQueue;
import dev.polyrun.telemetry.RedisMetrics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The worker's queue with its telemetry: Redis latency and errors per operation, the timing of each
 * take (for the claim span), the output bytes streamed, state changes as events of the job's span,
 * and a span around storing the result, which also counts the verdict.
 */
final class TracedWorkQueue implements WorkQueue {
  private final WorkQueue queue;
  private final RedisMetrics redis;
  private final Tracer tracer;
  private final WorkerInstruments instruments;

  TracedWorkQueue(
      WorkQueue queue, RedisMetrics redis, Tracer tracer, WorkerInstruments instruments) {
    this.queue = queue;
    this.redis = redis;
    this.tracer = tracer;
    this.instruments = instruments;
  }

  @Override
  public Optional<Delivery> take(String consumer, Duration block) {
    long started = EpochNanos.now();
    Optional<Delivery> delivery = redis.blockingCall("take", () -> queue.take(consumer, block));
    TakeTiming.record(new TakeTiming(started, EpochNanos.now()));
    return delivery;
  }

  @Override
  public Optional<Delivery> take(
      String consumer, Duration block, java.util.Collection<String> languages) {
    long started = EpochNanos.now();
    Optional<Delivery> delivery =
        redis.blockingCall("take", () -> queue.take(consumer, block, languages));
    TakeTiming.record(new TakeTiming(started, EpochNanos.now()));
    return delivery;
  }

  @Override
  public boolean publish(Delivery delivery, long seq, JobEvent event, JobState newState) {
    boolean written = redis.call("publish", () -> queue.publish(delivery, seq, event, newState));
    if (written) {
      String language = delivery.request().getLanguage();
      switch (event.getEventCase()) {
        case STDOUT -> instruments.output(language, "stdout", event.getStdout().size());
        case STDERR -> instruments.output(language, "stderr", event.getStderr().size());
        case STATE -> Span.current().addEvent("state " + event.getState().getState().name());
        default -> {}
      }
    }
    return written;
  }

  @Override
  public boolean complete(Delivery delivery, long seq, Result result, JobState finalState) {
    Span job = Span.current();
    Span span = tracer.spanBuilder("polyrun.result").startSpan();
    String verdict = WorkerInstruments.verdict(result.getVerdict());
    span.setAttribute("polyrun.verdict", verdict);
    job.setAttribute("polyrun.verdict", verdict);
    if (result.getVerdict() == Verdict.VERDICT_INTERNAL_ERROR) {
      job.setStatus(StatusCode.ERROR, result.getErrorReason() + " " + result.getMessage());
    }
    try (Scope ignored = span.makeCurrent()) {
      boolean stored =
          redis.call("complete", () -> queue.complete(delivery, seq, result, finalState));
      span.setAttribute("polyrun.stored", stored);
      if (stored) {
        instruments.result(delivery.request().getLanguage(), result);
        JobTrace.ended(verdict + (result.getMessage().isEmpty() ? "" : ": " + result.getMessage()));
      }
      return stored;
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, e.getMessage());
      throw e;
    } finally {
      span.end();
    }
  }

  @Override
  public void ack(Delivery delivery) {
    redis.run("ack", () -> queue.ack(delivery));
  }

  @Override
  public boolean renew(Delivery delivery, String consumer) {
    return redis.call("renew", () -> queue.renew(delivery, consumer));
  }

  @Override
  public void release(Delivery delivery, String consumer) {
    redis.run("release", () -> queue.release(delivery, consumer));
  }

  @Override
  public void heartbeat(String workerId, int slots, List<String> jobIds, Duration ttl) {
    redis.run("heartbeat", () -> queue.heartbeat(workerId, slots, jobIds, ttl));
  }

  @Override
  public void heartbeat(
      String workerId, int slots, List<String> jobIds, Duration ttl, List<String> languages) {
    redis.run("heartbeat", () -> queue.heartbeat(workerId, slots, jobIds, ttl, languages));
  }

  @Override
  public JobOrigin origin(String jobId) {
    return redis.call("origin", () -> queue.origin(jobId));
  }

  @Override
  public void pruneConsumers(Duration idle, String stopping) {
    redis.run("prune_consumers", () -> queue.pruneConsumers(idle, stopping));
  }

  @Override
  public long deadLettered() {
    return queue.deadLettered();
  }

  @Override
  public boolean cancelRequested(String jobId) {
    return redis.call("cancel_requested", () -> queue.cancelRequested(jobId));
  }

  @Override
  public void advertise(List<Language> languages) {
    redis.run("advertise", () -> queue.advertise(languages));
  }

  /** The queue is its owner's to close. */
  @Override
  public void close() {}
}
