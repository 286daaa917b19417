package dev.polyrun.coordinator.internal.telemetry;

import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.queue.JobQueue;
import dev.polyrun.queue.QueueDepth;
import dev.polyrun.queue.Submission;
import dev.polyrun.queue.SubmitOutcome;
import dev.polyrun.telemetry.Logging;
import dev.polyrun.telemetry.RedisMetrics;
import dev.polyrun.telemetry.TraceParents;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * The coordinator's queue with its telemetry: Redis latency and errors per operation, a producer
 * span around each submission whose context is stored with the job (the worker continues it), and
 * the job id on the call's span and in the log lines of the call's thread.
 */
public final class TracedJobQueue implements JobQueue {
  /** Span attribute naming the job. */
  public static final String JOB_ID = "polyrun.job.id";

  private final JobQueue queue;
  private final RedisMetrics redis;
  private final Tracer tracer;

  public TracedJobQueue(JobQueue queue, OpenTelemetry otel) {
    this.queue = queue;
    this.redis = new RedisMetrics(otel.getMeter("polyrun.coordinator"));
    this.tracer = otel.getTracer("polyrun.coordinator");
  }

  @Override
  public SubmitOutcome submit(Submission submission) {
    Span call = Span.current();
    Span span =
        tracer
            .spanBuilder("polyrun.submit")
            .setSpanKind(SpanKind.PRODUCER)
            .setAttribute("polyrun.language", submission.request().getLanguage())
            .setAttribute("polyrun.tenant", submission.tenant())
            .setAttribute("messaging.system", "redis")
            .setAttribute("messaging.operation.type", "send")
            .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      String given = submission.traceParent();
      String stored = given.isEmpty() ? TraceParents.of(Context.current()) : given;
      SubmitOutcome outcome =
          redis.call("submit", () -> queue.submit(submission.withTraceParent(stored)));
      String jobId =
          outcome instanceof SubmitOutcome.Accepted a
              ? a.jobId()
              : outcome instanceof SubmitOutcome.Duplicate d ? d.jobId() : null;
      if (jobId != null) {
        span.setAttribute(JOB_ID, jobId);
        call.setAttribute(JOB_ID, jobId);
        MDC.put(Logging.JOB_ID, jobId);
      }
      return outcome;
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, e.getMessage());
      throw e;
    } finally {
      span.end();
    }
  }

  private void about(String jobId) {
    Span.current().setAttribute(JOB_ID, jobId);
    MDC.put(Logging.JOB_ID, jobId);
  }

  @Override
  public Optional<String> tenantOf(String jobId) {
    about(jobId);
    return redis.call("tenant_of", () -> queue.tenantOf(jobId));
  }

  @Override
  public Optional<Job> getJob(String jobId) {
    about(jobId);
    return redis.call("get_job", () -> queue.getJob(jobId));
  }

  @Override
  public List<JobEvent> readEvents(String jobId, String afterCursor, Duration block, int max) {
    return block.isZero()
        ? redis.call("read_events", () -> queue.readEvents(jobId, afterCursor, block, max))
        : redis.blockingCall("read_events", () -> queue.readEvents(jobId, afterCursor, block, max));
  }

  @Override
  public Optional<JobState> cancel(String jobId) {
    about(jobId);
    return redis.call("cancel", () -> queue.cancel(jobId));
  }

  @Override
  public List<Language> languages() {
    return redis.call("languages", queue::languages);
  }

  @Override
  public java.util.Set<String> servedQueues() {
    return redis.call("served_queues", queue::servedQueues);
  }

  @Override
  public QueueDepth depth() {
    return redis.call("depth", queue::depth);
  }

  @Override
  public boolean ping() {
    return queue.ping();
  }

  /** The queue is its owner's to close. */
  @Override
  public void close() {}

  @Override
  public dev.polyrun.queue.ConnectionStats connections() {
    return queue.connections();
  }

  @Override
  public dev.polyrun.queue.EventReader openEventReader(Duration maxBlock) {
    return queue.openEventReader(maxBlock);
  }

  @Override
  public Optional<dev.polyrun.queue.JobHead> head(String jobId) {
    return queue.head(jobId);
  }
}
