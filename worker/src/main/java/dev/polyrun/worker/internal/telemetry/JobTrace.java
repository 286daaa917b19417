package dev.polyrun.worker.internal.telemetry;

import com.google.errorprone.annotations.MustBeClosed;
import dev.polyrun.queue.Delivery;
import dev.polyrun.queue.JobOrigin;
import dev.polyrun.telemetry.Logging;
import dev.polyrun.telemetry.TraceParents;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One delivery's place in its job's trace, open while the slot runs it: continues the context the
 * coordinator stored with the job, with the wait in the queue and the claim as spans cut from their
 * timestamps, then the job's own span, current on the slot thread (stages and the result are its
 * children), and the job id and attempt in the thread's log lines.
 */
public final class JobTrace implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JobTrace.class);

  /** The outcome stored by this slot thread's delivery, logged once the delivery is done. */
  private static final ThreadLocal<String> ENDED = new ThreadLocal<>();

  private final Delivery delivery;
  private final Span span;
  private final Scope scope;

  // the scope is owned by this object and closed by close(), which Error Prone cannot follow
  @SuppressWarnings("MustBeClosedChecker")
  @MustBeClosed
  private JobTrace(Delivery delivery, Span span, Context current) {
    this.delivery = delivery;
    this.span = span;
    this.scope = current.makeCurrent();
  }

  @MustBeClosed
  static JobTrace begin(
      Delivery delivery,
      JobOrigin origin,
      String workerId,
      Tracer tracer,
      WorkerInstruments instruments) {
    TakeTiming take = TakeTiming.last();
    Context parent = TraceParents.parent(origin.traceParent());
    String language = delivery.request().getLanguage();
    long created = origin.createdAtMs() * 1_000_000L;
    long claimStart = Math.max(take.startedEpochNanos(), created);
    if (origin.createdAtMs() > 0 && !delivery.reclaimed() && claimStart > created) {
      tracer
          .spanBuilder("polyrun.queue.wait")
          .setParent(parent)
          .setStartTimestamp(created, TimeUnit.NANOSECONDS)
          .setAttribute("polyrun.job.id", delivery.jobId())
          .setAttribute("polyrun.language", language)
          .startSpan()
          .end(claimStart, TimeUnit.NANOSECONDS);
    }
    tracer
        .spanBuilder("polyrun.claim")
        .setParent(parent)
        .setStartTimestamp(claimStart, TimeUnit.NANOSECONDS)
        .setAttribute("polyrun.job.id", delivery.jobId())
        .setAttribute("polyrun.attempt", delivery.attempt())
        .setAttribute("polyrun.reclaimed", delivery.reclaimed())
        .setAttribute("polyrun.worker.id", workerId)
        .startSpan()
        .end(Math.max(claimStart, take.endedEpochNanos()), TimeUnit.NANOSECONDS);
    Span span =
        tracer
            .spanBuilder("polyrun.job")
            .setParent(parent)
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute("polyrun.job.id", delivery.jobId())
            .setAttribute("polyrun.language", language)
            .setAttribute("polyrun.attempt", delivery.attempt())
            .setAttribute("polyrun.reclaimed", delivery.reclaimed())
            .setAttribute("polyrun.worker.id", workerId)
            .setAttribute("messaging.system", "redis")
            .setAttribute("messaging.operation.type", "process")
            .startSpan();
    instruments.claimed(
        language,
        delivery.reclaimed(),
        origin.createdAtMs() > 0
            ? Duration.ofNanos(take.endedEpochNanos() - created)
            : Duration.ofNanos(-1));
    MDC.put(Logging.JOB_ID, delivery.jobId());
    MDC.put("attempt", Integer.toString(delivery.attempt()));
    ENDED.remove();
    return new JobTrace(delivery, span, JobContext.withLanguage(parent.with(span), language));
  }

  /** Records the stored outcome, for the line logged at {@link #close()} (after the ack). */
  static void ended(String outcome) {
    ENDED.set(outcome);
  }

  /** Ends the job's span and logs the delivery's outcome; call on the slot thread that began it. */
  @Override
  public void close() {
    String outcome = ENDED.get();
    ENDED.remove();
    if (outcome != null) {
      log.info("job {} attempt {} ended {}", delivery.jobId(), delivery.attempt(), outcome);
    }
    scope.close();
    span.end();
    MDC.remove(Logging.JOB_ID);
    MDC.remove("attempt");
  }
}
