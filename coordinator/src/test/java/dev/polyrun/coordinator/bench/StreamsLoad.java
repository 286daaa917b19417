package dev.polyrun.coordinator.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.StateChange;
import dev.polyrun.proto.v1.StreamEventsRequest;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.SubmitResponse;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.queue.Delivery;
import dev.polyrun.queue.RedisQueue;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Many open result streams on one coordinator: submits {@code streams} jobs, opens one StreamEvents
 * call per job over the channels, waits until every stream has its QUEUED event, then finishes
 * every job through the queue API (RUNNING, one line of output, the result) as a worker would, and
 * waits until every stream has its result. Samples the coordinator's Redis connections throughout.
 * A call refused RESOURCE_EXHAUSTED is retried, a stream resumed after its last cursor (and counted
 * among the failures).
 */
final class StreamsLoad {
  /** What one run measured. */
  record Report(
      int streams,
      int completed,
      int inOrder,
      Duration openAll,
      Duration finishAll,
      long mostConnections,
      Latencies resultAfterCompletion,
      ConcurrentHashMap<Status.Code, Integer> failures) {}

  private final List<ManagedChannel> channels;
  private final String apiKey;
  private final RedisQueue worker;

  StreamsLoad(List<ManagedChannel> channels, String apiKey, RedisQueue worker) {
    this.channels = channels;
    this.apiKey = apiKey;
    this.worker = worker;
  }

  Report run(int streams, LongSupplier coordinatorConnections) throws InterruptedException {
    ConcurrentHashMap<String, Long> completedAt = new ConcurrentHashMap<>();
    Latencies resultLatency = new Latencies();
    ConcurrentHashMap<Status.Code, Integer> failures = new ConcurrentHashMap<>();
    CountDownLatch opened = new CountDownLatch(streams);
    CountDownLatch ended = new CountDownLatch(streams);
    AtomicInteger inOrder = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    long[] most = {0};
    Thread sampler =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    most[0] = Math.max(most[0], coordinatorConnections.getAsLong());
                    try {
                      Thread.sleep(200);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    long t0 = System.nanoTime();
    Semaphore submitting = new Semaphore(64);
    for (int i = 0; i < streams; i++) {
      submitting.acquire();
      submit(
          i,
          stub(i),
          submitting,
          completedAt,
          resultLatency,
          opened,
          ended,
          inOrder,
          completed,
          failures);
    }
    opened.await(5, TimeUnit.MINUTES);
    Duration openAll = Duration.ofNanos(System.nanoTime() - t0);
    long t1 = System.nanoTime();
    finishAll(streams, completedAt);
    ended.await(5, TimeUnit.MINUTES);
    Duration finishAll = Duration.ofNanos(System.nanoTime() - t1);
    sampler.interrupt();
    return new Report(
        streams,
        completed.get(),
        inOrder.get(),
        openAll,
        finishAll,
        most[0],
        resultLatency,
        failures);
  }

  /**
   * Submits job {@code i} (again after a RESOURCE_EXHAUSTED, as a client told to retry does), then
   * follows it.
   */
  private static void submit(
      int i,
      Stubs stubs,
      Semaphore submitting,
      ConcurrentHashMap<String, Long> completedAt,
      Latencies resultLatency,
      CountDownLatch opened,
      CountDownLatch ended,
      AtomicInteger inOrder,
      AtomicInteger completed,
      ConcurrentHashMap<Status.Code, Integer> failures) {
    Futures.addCallback(
        stubs
            .future()
            .submit(
                SubmitRequest.newBuilder()
                    .setLanguage("python")
                    .addFiles(
                        SourceFile.newBuilder()
                            .setContent(ByteString.copyFromUtf8("print(" + i + ")")))
                    .build()),
        new FutureCallback<SubmitResponse>() {
          @Override
          public void onSuccess(SubmitResponse response) {
            submitting.release();
            follow(
                stubs,
                response.getJobId(),
                completedAt,
                resultLatency,
                opened,
                ended,
                inOrder,
                completed,
                failures);
          }

          @Override
          public void onFailure(Throwable t) {
            Status.Code code = Status.fromThrowable(t).getCode();
            failures.merge(code, 1, Integer::sum);
            if (code == Status.Code.RESOURCE_EXHAUSTED) {
              submit(
                  i,
                  stubs,
                  submitting,
                  completedAt,
                  resultLatency,
                  opened,
                  ended,
                  inOrder,
                  completed,
                  failures);
              return;
            }
            submitting.release();
            opened.countDown();
            ended.countDown();
          }
        },
        MoreExecutors.directExecutor());
  }

  private static void follow(
      Stubs stubs,
      String jobId,
      ConcurrentHashMap<String, Long> completedAt,
      Latencies resultLatency,
      CountDownLatch opened,
      CountDownLatch ended,
      AtomicInteger inOrder,
      AtomicInteger completed,
      ConcurrentHashMap<Status.Code, Integer> failures) {
    follow(
        stubs,
        jobId,
        new ArrayList<>(),
        completedAt,
        resultLatency,
        opened,
        ended,
        inOrder,
        completed,
        failures);
  }

  /**
   * Streams the job after the events already received; resumes after a RESOURCE_EXHAUSTED, as a
   * client told to.
   */
  private static void follow(
      Stubs stubs,
      String jobId,
      List<JobEvent> events,
      ConcurrentHashMap<String, Long> completedAt,
      Latencies resultLatency,
      CountDownLatch opened,
      CountDownLatch ended,
      AtomicInteger inOrder,
      AtomicInteger completed,
      ConcurrentHashMap<Status.Code, Integer> failures) {
    String after = events.isEmpty() ? "" : events.get(events.size() - 1).getCursor();
    stubs
        .async()
        .streamEvents(
            StreamEventsRequest.newBuilder().setJobId(jobId).setAfterCursor(after).build(),
            new StreamObserver<>() {
              @Override
              public void onNext(JobEvent e) {
                events.add(e);
                if (events.size() == 1) {
                  opened.countDown();
                }
                if (e.hasResult()) {
                  Long done = completedAt.get(jobId);
                  if (done != null) {
                    resultLatency.add(System.nanoTime() - done);
                  }
                }
              }

              @Override
              public void onError(Throwable t) {
                Status.Code code = Status.fromThrowable(t).getCode();
                failures.merge(code, 1, Integer::sum);
                if (code == Status.Code.RESOURCE_EXHAUSTED) {
                  CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)
                      .execute(
                          () ->
                              follow(
                                  stubs,
                                  jobId,
                                  events,
                                  completedAt,
                                  resultLatency,
                                  opened,
                                  ended,
                                  inOrder,
                                  completed,
                                  failures));
                  return;
                }
                if (events.isEmpty()) {
                  opened.countDown();
                }
                ended.countDown();
              }

              @Override
              public void onCompleted() {
                boolean whole =
                    events.size() == 4
                        && events.get(0).hasState()
                        && events.get(2).hasStdout()
                        && events.get(3).hasResult();
                if (whole) {
                  inOrder.incrementAndGet();
                }
                if (!events.isEmpty() && events.get(events.size() - 1).hasResult()) {
                  completed.incrementAndGet();
                }
                ended.countDown();
              }
            });
  }

  /** Plays the worker for every job: RUNNING, one line, the result. */
  private void finishAll(int jobs, ConcurrentHashMap<String, Long> completedAt) {
    for (int i = 0; i < jobs; i++) {
      Delivery d =
          worker
              .take("bench-worker", Duration.ofSeconds(1))
              .orElseThrow(
                  () -> new IllegalStateException("fewer jobs in the queue than submitted"));
      worker.publish(
          d,
          1,
          JobEvent.newBuilder()
              .setState(
                  StateChange.newBuilder()
                      .setState(JobState.JOB_STATE_RUNNING)
                      .setAttempt(d.attempt()))
              .build(),
          JobState.JOB_STATE_RUNNING);
      worker.publish(
          d,
          2,
          JobEvent.newBuilder().setStdout(ByteString.copyFromUtf8("hello " + i + "\n")).build(),
          null);
      completedAt.put(d.jobId(), System.nanoTime());
      worker.complete(
          d,
          3,
          Result.newBuilder().setVerdict(Verdict.VERDICT_OK).build(),
          JobState.JOB_STATE_DONE);
      worker.ack(d);
    }
  }

  private record Stubs(
      ExecutorServiceGrpc.ExecutorServiceFutureStub future,
      ExecutorServiceGrpc.ExecutorServiceStub async) {}

  private Stubs stub(int i) {
    ManagedChannel channel = channels.get(i % channels.size());
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
    var auth = MetadataUtils.newAttachHeadersInterceptor(headers);
    return new Stubs(
        ExecutorServiceGrpc.newFutureStub(channel).withInterceptors(auth),
        ExecutorServiceGrpc.newStub(channel).withInterceptors(auth));
  }
}
