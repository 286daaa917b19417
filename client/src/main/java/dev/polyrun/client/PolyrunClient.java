package dev.polyrun.client;

import dev.polyrun.client.internal.Channels;
import dev.polyrun.client.internal.EventPump;
import dev.polyrun.client.internal.StatusErrors;
import dev.polyrun.proto.v1.CancelJobRequest;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.GetJobRequest;
import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.ListLanguagesRequest;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.StreamEventsRequest;
import dev.polyrun.proto.v1.SubmitRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Client of a polyrun cluster over gRPC.
 *
 * <pre>{@code
 * try (PolyrunClient client = PolyrunClient.connect("localhost:50051")) {
 *   ExecuteRequest request = ExecuteRequest.newBuilder()
 *       .setLanguage("python")
 *       .addFiles(SourceFile.newBuilder()
 *           .setPath("main.py")
 *           .setContent(ByteString.copyFromUtf8("print('hi')")))
 *       .build();
 *   Result result = client.execute(request, new ExecutionListener() {
 *     @Override public void onStdout(ByteString chunk) { System.out.print(chunk.toStringUtf8()); }
 *   });
 *   System.out.println(result.getVerdict());
 * }
 * }</pre>
 *
 * <p>Every method blocks the calling thread until its call completes. A client is thread-safe and
 * meant to be shared: it holds one gRPC channel (connections are made lazily and re-made after a
 * failure), so create one per target and close it when done. Failures of the request or the service
 * throw a {@link PolyrunException}; a program's own failure is a {@link Result} verdict.
 */
public final class PolyrunClient implements AutoCloseable {
  private final String target;
  private final ManagedChannel channel;
  private final Duration deadline;
  private final Duration streamDeadline;
  private final int maxResumes;
  private final Duration resumeBackoff;
  private final Duration closeTimeout;
  private final AtomicBoolean closed = new AtomicBoolean();

  PolyrunClient(PolyrunClientBuilder options) {
    this.target = options.target;
    this.deadline = options.deadline;
    this.streamDeadline = options.streamDeadline;
    this.maxResumes = options.maxResumes;
    this.resumeBackoff = options.resumeBackoff;
    this.closeTimeout = options.closeTimeout;
    this.channel =
        Channels.open(
            target,
            new Channels.Tls(
                options.tls,
                options.trustCertificates,
                options.clientCertificateChain,
                options.clientPrivateKey),
            options.apiKey,
            options.maxInboundMessageBytes,
            options.userAgent,
            List.copyOf(options.interceptors));
  }

  /**
   * A plaintext client of the service at {@code target} with default options.
   *
   * @param target {@code host:port}, e.g. {@code localhost:50051}, or a gRPC target URI
   */
  public static PolyrunClient connect(String target) {
    return builder(target).build();
  }

  /** A builder of a client of the service at {@code target} ({@code host:port}). */
  public static PolyrunClientBuilder builder(String target) {
    return new PolyrunClientBuilder(target);
  }

  /** The target this client calls, as given to {@link #connect} or {@link #builder}. */
  public String target() {
    return target;
  }

  /**
   * Submits a job and streams its events until its result (the {@code Execute} call). Returns when
   * the job is final: done, or cancelled. If the stream is lost after the job was accepted, it is
   * resumed after the last delivered event (see {@link PolyrunClientBuilder#maxResumes}), so the
   * listener sees every event exactly once.
   *
   * @param listener receives output and state changes on this thread, in order, as they arrive
   * @return the job's final result, whose verdict says how the program ended
   * @throws PolyrunException when the request was refused or the stream could not be resumed
   */
  public Result execute(ExecuteRequest request, ExecutionListener listener) {
    Objects.requireNonNull(request, "request");
    EventPump pump = pump(listener, null, null);
    return pump.run(() -> streamStub().execute(request));
  }

  /**
   * Streams the events of an accepted job after {@code afterCursor} until its result (the {@code
   * StreamEvents} call), resuming a lost stream like {@link #execute}.
   *
   * @param afterCursor the cursor of the last event already seen ({@link
   *     ExecutionListener#onCursor}, {@link PolyrunException#lastCursor()}); null or empty streams
   *     from the job's first event
   * @return the job's final result
   * @throws PolyrunException e.g. {@code NOT_FOUND} for an unknown or expired job
   */
  public Result streamEvents(String jobId, String afterCursor, ExecutionListener listener) {
    Objects.requireNonNull(jobId, "jobId");
    EventPump pump = pump(listener, jobId, afterCursor);
    return pump.run(() -> openEvents(jobId, afterCursor == null ? "" : afterCursor));
  }

  /**
   * Enqueues a job and returns its id at once, without waiting for it to run. With an idempotency
   * key in the request, the same key returns the same job.
   */
  public String submit(SubmitRequest request) {
    Objects.requireNonNull(request, "request");
    return unary(() -> stub().submit(request).getJobId());
  }

  /**
   * Enqueues the job of an Execute request (its fields but {@code cancel_on_disconnect}, which
   * means nothing without a stream) and returns its id at once.
   */
  public String submit(ExecuteRequest request) {
    Objects.requireNonNull(request, "request");
    return submit(toSubmit(request));
  }

  /** The SubmitRequest of an ExecuteRequest's job: the contract numbers their job fields alike. */
  static SubmitRequest toSubmit(ExecuteRequest request) {
    try {
      return SubmitRequest.parseFrom(request.toByteString()).toBuilder()
          .setUnknownFields(com.google.protobuf.UnknownFieldSet.getDefaultInstance())
          .build();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("an ExecuteRequest did not parse as a SubmitRequest", e);
    }
  }

  /** The job's state and, when it is final, its result. */
  public Job getJob(String jobId) {
    Objects.requireNonNull(jobId, "jobId");
    return unary(() -> stub().getJob(GetJobRequest.newBuilder().setJobId(jobId).build()));
  }

  /**
   * Cancels a queued or running job. Returns the job's state after the request: {@code CANCELLED},
   * or the final state it had already reached. A running job's processes are stopped within about a
   * second; its stream then ends with a {@code VERDICT_CANCELLED} result.
   */
  public JobState cancel(String jobId) {
    Objects.requireNonNull(jobId, "jobId");
    CancelJobRequest request = CancelJobRequest.newBuilder().setJobId(jobId).build();
    return unary(() -> stub().cancelJob(request).getState());
  }

  /** The languages the cluster's workers run, with probed versions, file names and defaults. */
  public List<Language> languages() {
    return unary(
        () -> stub().listLanguages(ListLanguagesRequest.getDefaultInstance()).getLanguagesList());
  }

  /**
   * Closes the channel: lets calls in flight finish for up to the close timeout, then cancels them.
   * Idempotent; restores the interrupt flag when interrupted.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      Channels.close(channel, closeTimeout.toMillis());
    }
  }

  private EventPump pump(ExecutionListener listener, String jobId, String afterCursor) {
    Objects.requireNonNull(listener, "listener");
    return new EventPump(
        listener,
        this::openEvents,
        jobId,
        afterCursor,
        maxResumes,
        resumeBackoff,
        d -> TimeUnit.NANOSECONDS.sleep(d.toNanos()));
  }

  private Iterator<JobEvent> openEvents(String jobId, String afterCursor) {
    StreamEventsRequest request =
        StreamEventsRequest.newBuilder().setJobId(jobId).setAfterCursor(afterCursor).build();
    return streamStub().streamEvents(request);
  }

  private ExecutorServiceGrpc.ExecutorServiceBlockingStub stub() {
    return ExecutorServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  private ExecutorServiceGrpc.ExecutorServiceBlockingStub streamStub() {
    ExecutorServiceGrpc.ExecutorServiceBlockingStub stub =
        ExecutorServiceGrpc.newBlockingStub(channel);
    return streamDeadline == null
        ? stub
        : stub.withDeadlineAfter(streamDeadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static <T> T unary(Supplier<T> call) {
    try {
      return call.get();
    } catch (StatusRuntimeException e) {
      throw StatusErrors.toException(e);
    }
  }
}
