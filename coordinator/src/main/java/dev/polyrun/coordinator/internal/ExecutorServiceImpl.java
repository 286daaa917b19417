package dev.polyrun.coordinator.internal;

import dev.polyrun.coordinator.CoordinatorOptions;
import dev.polyrun.coordinator.Tenant;
import dev.polyrun.coordinator.internal.stream.EventHub;
import dev.polyrun.coordinator.internal.stream.EventStream;
import dev.polyrun.coordinator.internal.stream.StreamEnd;
import dev.polyrun.proto.v1.CancelJobRequest;
import dev.polyrun.proto.v1.CancelJobResponse;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.GetJobRequest;
import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.ListLanguagesRequest;
import dev.polyrun.proto.v1.ListLanguagesResponse;
import dev.polyrun.proto.v1.StreamEventsRequest;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.SubmitResponse;
import dev.polyrun.queue.JobHead;
import dev.polyrun.queue.JobQueue;
import dev.polyrun.queue.QueueBusyException;
import dev.polyrun.queue.QueueLoadProbe;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code polyrun.v1.ExecutorService} service. Every call runs on a virtual thread, never on the
 * event loop, because each one talks to Redis. Every call is authenticated first; a tenant sees
 * only its own jobs (another's are NOT_FOUND, as if they did not exist).
 */
public final class ExecutorServiceImpl extends ExecutorServiceGrpc.ExecutorServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(ExecutorServiceImpl.class);

  /** How long opening a stream waits for a free pooled connection, in turns, before SERVER_BUSY. */
  private static final java.time.Duration STREAM_OPEN_PATIENCE = java.time.Duration.ofSeconds(10);

  private static final Pattern JOB_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern CURSOR = Pattern.compile("\\d{1,20}-\\d{1,20}");
  private final JobQueue queue;
  private final Authenticator authenticator;
  private final Intake intake;
  private final LanguageCache languages;
  private final ExecutorService blocking;
  private final EventHub streams;
  private final PoolExhaustion exhaustion;
  private final String retention;

  /**
   * @param load the queue's load, read by admission control
   * @param streams the coordinator's shared event readers, which serve Execute and StreamEvents
   * @param exhaustion where calls that found no free Redis connection are reported
   */
  public ExecutorServiceImpl(
      JobQueue queue,
      QueueLoadProbe load,
      CoordinatorOptions options,
      CoordinatorMetrics metrics,
      ExecutorService blocking,
      EventHub streams,
      PoolExhaustion exhaustion) {
    this.queue = queue;
    this.authenticator = new Authenticator(options.auth(), options.tenants());
    this.languages = new LanguageCache(queue);
    this.intake =
        new Intake(
            queue,
            languages,
            options.limits(),
            new Idempotency(options.idempotencyTtl()),
            new AdmissionGate(load, options.admission(), System::nanoTime),
            new QuotaGate(options.admission().quotaRetryDelay()),
            metrics,
            options.queueUnserved());
    this.blocking = blocking;
    this.streams = streams;
    this.exhaustion = exhaustion;
    this.retention = Retention.text(options.jobRetention());
  }

  /** This service behind the interceptor that hands each call's credentials to it. */
  public BindableService withCredentials() {
    ServerServiceDefinition intercepted = ServerInterceptors.intercept(this, new Credentials());
    return () -> intercepted;
  }

  private interface Call {
    void run(Tenant tenant) throws Exception;
  }

  /** Runs the call on a virtual thread, as the caller's tenant, with the call's gRPC context. */
  private <T> void async(String method, StreamObserver<T> observer, Call call) {
    Context context = Context.current();
    String authorization = Credentials.AUTHORIZATION.get();
    blocking.execute(
        context.wrap(
            () -> {
              try {
                call.run(authenticator.authenticate(authorization));
              } catch (Throwable t) {
                fail(method, observer, t);
              }
            }));
  }

  private <T> void fail(String method, StreamObserver<T> observer, Throwable t) {
    if (t instanceof QueueBusyException) {
      exhaustion.report(method);
    }
    try {
      observer.onError(Statuses.toStatus(t));
    } catch (IllegalStateException closed) {
      // The call already ended (its deadline passed, or the client went away).
    }
  }

  @Override
  public void submit(SubmitRequest request, StreamObserver<SubmitResponse> observer) {
    async(
        "Submit",
        observer,
        tenant -> {
          String jobId = intake.accept(request, tenant, Context.current());
          observer.onNext(SubmitResponse.newBuilder().setJobId(jobId).build());
          observer.onCompleted();
        });
  }

  private volatile boolean draining;

  /** The server is shutting down: streams it cuts from now on do not cancel their jobs. */
  public void drain() {
    draining = true;
  }

  @Override
  public void execute(ExecuteRequest request, StreamObserver<JobEvent> observer) {
    AtomicReference<String> submitted = new AtomicReference<>();
    EventStream stream =
        streams.prepare(
            observer,
            Context.current(),
            why -> {
              String jobId = submitted.get();
              // a stream the server cut while draining is resumed elsewhere: only the client's
              // leaving cancels
              if (why == StreamEnd.CANCELLED
                  && jobId != null
                  && request.getCancelOnDisconnect()
                  && !draining) {
                blocking.execute(() -> cancelQuietly(jobId));
              }
            });
    async(
        "Execute",
        observer,
        tenant -> {
          String jobId = intake.accept(Requests.toSubmit(request), tenant, Context.current());
          submitted.set(jobId);
          if (!stream.start(jobId, "", Optional.empty(), null)
              && request.getCancelOnDisconnect()
              && !draining) {
            cancelQuietly(jobId); // the client left while the job was being submitted
          }
        });
  }

  private void cancelQuietly(String jobId) {
    try {
      queue.cancel(jobId);
    } catch (RuntimeException e) {
      log.warn(
          "job {} was not cancelled after its client left (cancel_on_disconnect): {}",
          jobId,
          e.getMessage());
    }
  }

  @Override
  public void streamEvents(StreamEventsRequest request, StreamObserver<JobEvent> observer) {
    EventStream stream = streams.prepare(observer, Context.current(), why -> {});
    async(
        "StreamEvents",
        observer,
        tenant -> {
          String jobId = checkJobId(request.getJobId());
          String cursor = request.getAfterCursor();
          if (!cursor.isEmpty() && !CURSOR.matcher(cursor).matches()) {
            throw Statuses.invalid(
                "after_cursor",
                "'" + cursor + "' (expected: empty or a cursor of an earlier event)");
          }
          // the head and the first page in one round trip: a burst of streams opening costs one
          // each
          Optional<JobQueue.JobView> view =
              patiently(() -> queue.headAndEvents(jobId, cursor, EventStream.PAGE));
          JobHead head = checkOwner(tenant, view.map(JobQueue.JobView::head), jobId);
          stream.start(jobId, cursor, Optional.of(head), view.get().events());
        });
  }

  @Override
  public void getJob(GetJobRequest request, StreamObserver<Job> observer) {
    async(
        "GetJob",
        observer,
        tenant -> {
          String jobId = checkJobId(request.getJobId());
          checkOwner(tenant, jobId);
          observer.onNext(queue.getJob(jobId).orElseThrow(() -> notFound(jobId)));
          observer.onCompleted();
        });
  }

  @Override
  public void cancelJob(CancelJobRequest request, StreamObserver<CancelJobResponse> observer) {
    async(
        "CancelJob",
        observer,
        tenant -> {
          String jobId = checkJobId(request.getJobId());
          checkOwner(tenant, jobId);
          JobState state = queue.cancel(jobId).orElseThrow(() -> notFound(jobId));
          observer.onNext(CancelJobResponse.newBuilder().setState(answerToCancel(state)).build());
          observer.onCompleted();
        });
  }

  /**
   * The contract's answer to a cancel, from the state the queue left the job in: a final state as
   * it is (the cancel came too late), else CANCELLED, since the cancel took effect: a queued job
   * ended, and a running one was flagged and is stopped by its worker within a second.
   */
  static JobState answerToCancel(JobState stateAfter) {
    boolean fin =
        stateAfter == JobState.JOB_STATE_DONE || stateAfter == JobState.JOB_STATE_CANCELLED;
    return fin ? stateAfter : JobState.JOB_STATE_CANCELLED;
  }

  @Override
  public void listLanguages(
      ListLanguagesRequest request, StreamObserver<ListLanguagesResponse> observer) {
    async(
        "ListLanguages",
        observer,
        tenant -> {
          observer.onNext(
              ListLanguagesResponse.newBuilder().addAllLanguages(languages.get()).build());
          observer.onCompleted();
        });
  }

  /** Another tenant's job is NOT_FOUND, exactly like a job that does not exist. */
  private JobHead checkOwner(Tenant tenant, String jobId) {
    return checkOwner(tenant, queue.head(jobId), jobId);
  }

  private JobHead checkOwner(Tenant tenant, Optional<JobHead> found, String jobId) {
    JobHead head = found.orElseThrow(() -> notFound(jobId));
    if (!tenant.isAnonymous() && !head.tenant().equals(tenant.name())) {
      throw notFound(jobId);
    }
    return head;
  }

  /**
   * A stream's first read waits out a pool that is dry for a moment (a burst of streams opening at
   * once) for up to {@link #STREAM_OPEN_PATIENCE}: a stream is long, and its later reads ride out
   * as much. Each dry moment is still counted.
   */
  private <T> T patiently(java.util.function.Supplier<T> read) throws InterruptedException {
    long deadline = System.nanoTime() + STREAM_OPEN_PATIENCE.toNanos();
    while (true) {
      try {
        return read.get();
      } catch (QueueBusyException e) {
        exhaustion.report("StreamEvents");
        if (System.nanoTime() > deadline || Context.current().isCancelled()) {
          throw e;
        }
        Thread.sleep(20 + java.util.concurrent.ThreadLocalRandom.current().nextInt(80));
      }
    }
  }

  private static String checkJobId(String jobId) {
    if (!JOB_ID.matcher(jobId).matches()) {
      throw Statuses.invalid(
          "job_id", "'" + jobId + "' (expected: a job id returned by Submit or Execute)");
    }
    return jobId;
  }

  private RuntimeException notFound(String jobId) {
    return Statuses.notFound(
        "job "
            + jobId
            + " not found: unknown, or older than this cluster's retention of "
            + retention
            + " (results stay readable for "
            + retention
            + " after a job's last change)");
  }
}
