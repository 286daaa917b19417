package dev.polyrun.coordinator.internal;

import dev.polyrun.proto.v1.CancelJobRequest;
import dev.polyrun.proto.v1.CancelJobResponse;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.ExecutorGrpc;
import dev.polyrun.proto.v1.GetJobRequest;
import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.ListLanguagesRequest;
import dev.polyrun.proto.v1.ListLanguagesResponse;
import dev.polyrun.proto.v1.StreamEventsRequest;
import dev.polyrun.proto.v1.SubmitResponse;
import dev.polyrun.queue.JobQueue;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;

/**
 * The {@code polyrun.v1.Executor} service. Every call runs on a virtual thread, never on the
 * event loop, because each one talks to Redis.
 */
public final class ExecutorServiceImpl extends ExecutorGrpc.ExecutorImplBase {
  private static final Pattern JOB_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern CURSOR = Pattern.compile("\\d{1,20}-\\d{1,20}");
  private final JobQueue queue;
  private final RequestValidator validator;
  private final LanguageCache languages;
  private final CoordinatorMetrics metrics;
  private final ExecutorService blocking;
  private final EventStreamer streamer;

  public ExecutorServiceImpl(
      JobQueue queue, dev.polyrun.coordinator.ServerLimits limits, CoordinatorMetrics metrics, ExecutorService blocking) {
    this.queue = queue;
    this.validator = new RequestValidator(limits);
    this.languages = new LanguageCache(queue);
    this.metrics = metrics;
    this.blocking = blocking;
    this.streamer = new EventStreamer(queue);
  }

  private interface Call {
    void run() throws Exception;
  }

  private <T> void async(StreamObserver<T> observer, Call call) {
    blocking.execute(() -> {
      try {
        call.run();
      } catch (Throwable t) {
        observer.onError(Statuses.toStatus(t));
      }
    });
  }

  @Override
  public void submit(ExecuteRequest request, StreamObserver<SubmitResponse> observer) {
    async(observer, () -> {
      String jobId = accept(request);
      observer.onNext(SubmitResponse.newBuilder().setJobId(jobId).build());
      observer.onCompleted();
    });
  }

  @Override
  public void execute(ExecuteRequest request, StreamObserver<JobEvent> observer) {
    EventStreamer.Subscription subscription = streamer.subscribe(observer);
    async(observer, () -> {
      String jobId = accept(request);
      boolean finished = streamer.stream(jobId, "", subscription);
      if (!finished && request.getCancelOnDisconnect()) {
        queue.cancel(jobId);
      }
    });
  }

  private String accept(ExecuteRequest request) {
    String language = request.getLanguage();
    try {
      var missing = RequestValidator.unimplemented(request);
      if (missing.isPresent()) {
        throw Statuses.unimplemented(missing.get());
      }
      List<dev.polyrun.proto.v1.Language> known = languages.get();
      if (known.isEmpty()) {
        throw Status.UNAVAILABLE.withDescription("no worker has advertised a language yet; start a worker").asRuntimeException();
      }
      validator.validate(request, known);
      String jobId = queue.submit(request);
      metrics.submitted(language, "accepted");
      return jobId;
    } catch (RuntimeException e) {
      metrics.submitted(language, Statuses.toStatus(e).getStatus().getCode().name().toLowerCase(java.util.Locale.ROOT));
      throw e;
    }
  }

  @Override
  public void streamEvents(StreamEventsRequest request, StreamObserver<JobEvent> observer) {
    EventStreamer.Subscription subscription = streamer.subscribe(observer);
    async(observer, () -> {
      String jobId = checkJobId(request.getJobId());
      String cursor = request.getAfterCursor();
      if (!cursor.isEmpty() && !CURSOR.matcher(cursor).matches()) {
        throw Statuses.invalid("after_cursor", "'" + cursor + "' (expected: empty or a cursor of an earlier event)");
      }
      if (queue.getJob(jobId).isEmpty()) {
        throw notFound(jobId);
      }
      streamer.stream(jobId, cursor, subscription);
    });
  }

  @Override
  public void getJob(GetJobRequest request, StreamObserver<Job> observer) {
    async(observer, () -> {
      String jobId = checkJobId(request.getJobId());
      observer.onNext(queue.getJob(jobId).orElseThrow(() -> notFound(jobId)));
      observer.onCompleted();
    });
  }

  @Override
  public void cancelJob(CancelJobRequest request, StreamObserver<CancelJobResponse> observer) {
    async(observer, () -> {
      String jobId = checkJobId(request.getJobId());
      JobState state = queue.cancel(jobId).orElseThrow(() -> notFound(jobId));
      observer.onNext(CancelJobResponse.newBuilder().setState(state).build());
      observer.onCompleted();
    });
  }

  @Override
  public void listLanguages(ListLanguagesRequest request, StreamObserver<ListLanguagesResponse> observer) {
    async(observer, () -> {
      observer.onNext(ListLanguagesResponse.newBuilder().addAllLanguages(languages.get()).build());
      observer.onCompleted();
    });
  }

  private static String checkJobId(String jobId) {
    if (!JOB_ID.matcher(jobId).matches()) {
      throw Statuses.invalid("job_id", "'" + jobId + "' (expected: a job id returned by Submit or Execute)");
    }
    return jobId;
  }

  private static RuntimeException notFound(String jobId) {
    return Statuses.notFound("job " + jobId + " not found (unknown, or its retention period has passed)");
  }
}
