package dev.polyrun.coordinator.internal;

import dev.polyrun.coordinator.CoordinatorOptions;
import dev.polyrun.coordinator.Tenant;
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
import dev.polyrun.queue.AdmissionStore;
import dev.polyrun.queue.JobQueue;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;

/**
 * The {@code polyrun.v1.ExecutorService} service. Every call runs on a virtual thread, never on the event
 * loop, because each one talks to Redis. Every call is authenticated first; a tenant sees only its
 * own jobs (another's are NOT_FOUND, as if they did not exist).
 */
public final class ExecutorServiceImpl extends ExecutorServiceGrpc.ExecutorServiceImplBase {
  private static final Pattern JOB_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern CURSOR = Pattern.compile("\\d{1,20}-\\d{1,20}");
  private final JobQueue queue;
  private final Authenticator authenticator;
  private final Intake intake;
  private final LanguageCache languages;
  private final ExecutorService blocking;
  private final EventStreamer streamer;
  private final String retention;

  public ExecutorServiceImpl(JobQueue queue, AdmissionStore store, CoordinatorOptions options,
      CoordinatorMetrics metrics, ExecutorService blocking) {
    this.queue = queue;
    this.authenticator = new Authenticator(options.auth(), options.tenants());
    this.languages = new LanguageCache(queue);
    this.intake = new Intake(queue, languages, options.limits(),
        new Idempotency(store, options.idempotencyTtl()),
        new AdmissionGate(store, options.admission(), System::nanoTime),
        new QuotaGate(store, options.admission().quotaRetryDelay()), metrics);
    this.blocking = blocking;
    this.streamer = new EventStreamer(queue);
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
  private <T> void async(StreamObserver<T> observer, Call call) {
    Context context = Context.current();
    String authorization = Credentials.AUTHORIZATION.get();
    blocking.execute(context.wrap(() -> {
      try {
        call.run(authenticator.authenticate(authorization));
      } catch (Throwable t) {
        fail(observer, t);
      }
    }));
  }

  private static <T> void fail(StreamObserver<T> observer, Throwable t) {
    try {
      observer.onError(Statuses.toStatus(t));
    } catch (IllegalStateException closed) {
      // The call already ended (its deadline passed, or the client went away).
    }
  }

  @Override
  public void submit(SubmitRequest request, StreamObserver<SubmitResponse> observer) {
    async(observer, tenant -> {
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
    EventStreamer.Subscription subscription = streamer.subscribe(observer, Context.current());
    async(observer, tenant -> {
      String jobId = intake.accept(Requests.toSubmit(request), tenant, Context.current());
      boolean finished = streamer.stream(jobId, "", subscription);
      // a stream the server cut while draining is resumed elsewhere: only the client's leaving cancels
      if (!finished && request.getCancelOnDisconnect() && !draining) {
        queue.cancel(jobId);
      }
    });
  }

  @Override
  public void streamEvents(StreamEventsRequest request, StreamObserver<JobEvent> observer) {
    EventStreamer.Subscription subscription = streamer.subscribe(observer, Context.current());
    async(observer, tenant -> {
      String jobId = checkJobId(request.getJobId());
      String cursor = request.getAfterCursor();
      if (!cursor.isEmpty() && !CURSOR.matcher(cursor).matches()) {
        throw Statuses.invalid("after_cursor", "'" + cursor + "' (expected: empty or a cursor of an earlier event)");
      }
      checkOwner(tenant, jobId);
      streamer.stream(jobId, cursor, subscription);
    });
  }

  @Override
  public void getJob(GetJobRequest request, StreamObserver<Job> observer) {
    async(observer, tenant -> {
      String jobId = checkJobId(request.getJobId());
      checkOwner(tenant, jobId);
      observer.onNext(queue.getJob(jobId).orElseThrow(() -> notFound(jobId)));
      observer.onCompleted();
    });
  }

  @Override
  public void cancelJob(CancelJobRequest request, StreamObserver<CancelJobResponse> observer) {
    async(observer, tenant -> {
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
    boolean fin = stateAfter == JobState.JOB_STATE_DONE || stateAfter == JobState.JOB_STATE_CANCELLED;
    return fin ? stateAfter : JobState.JOB_STATE_CANCELLED;
  }

  @Override
  public void listLanguages(ListLanguagesRequest request, StreamObserver<ListLanguagesResponse> observer) {
    async(observer, tenant -> {
      observer.onNext(ListLanguagesResponse.newBuilder().addAllLanguages(languages.get()).build());
      observer.onCompleted();
    });
  }

  /** Another tenant's job is NOT_FOUND, exactly like a job that does not exist. */
  private void checkOwner(Tenant tenant, String jobId) {
    String owner = queue.tenantOf(jobId).orElseThrow(() -> notFound(jobId));
    if (!tenant.isAnonymous() && !owner.equals(tenant.name())) {
      throw notFound(jobId);
    }
  }

  private static String checkJobId(String jobId) {
    if (!JOB_ID.matcher(jobId).matches()) {
      throw Statuses.invalid("job_id", "'" + jobId + "' (expected: a job id returned by Submit or Execute)");
    }
    return jobId;
  }

  private RuntimeException notFound(String jobId) {
    return Statuses.notFound("job " + jobId + " not found: unknown, or older than this cluster's retention of "
        + retention + " (results stay readable for " + retention + " after a job's last change)");
  }
}
