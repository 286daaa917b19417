package dev.polyrun.loadtest.internal;

import dev.polyrun.loadtest.RunReport;
import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.GetJobRequest;
import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.StreamEventsRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks, through the public API only, that every accepted job ended with exactly one final result:
 * GetJob until the job is final (NOT_FOUND or never final counts as lost), then its whole event
 * stream from the start (more than one result event counts as a duplicate, and so does a result a
 * caller received that is not the stored one). Retries while the service is unavailable.
 */
public final class Verifier implements AutoCloseable {
  private final ManagedChannel channel;
  private final ExecutorServiceGrpc.ExecutorServiceBlockingStub stub;

  public Verifier(String target, String apiKey, boolean tls) {
    ManagedChannelBuilder<?> b = ManagedChannelBuilder.forTarget(target);
    channel = (tls ? b.useTransportSecurity() : b.usePlaintext()).build();
    ExecutorServiceGrpc.ExecutorServiceBlockingStub s =
        ExecutorServiceGrpc.newBlockingStub(channel);
    if (apiKey != null) {
      Metadata headers = new Metadata();
      headers.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
      s = s.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    stub = s;
  }

  /**
   * Verifies the jobs.
   *
   * @param seenAttempts job id to the attempt of the result its caller received (0 when none)
   * @param settle how long jobs may take to become final, for all of them together
   */
  public RunReport.Invariants verify(Map<String, Integer> seenAttempts, Duration settle)
      throws InterruptedException {
    long deadline = System.nanoTime() + settle.toNanos();
    List<String> lost = Collections.synchronizedList(new ArrayList<>());
    List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
    AtomicLong reruns = new AtomicLong();
    Semaphore parallel = new Semaphore(16);
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Map.Entry<String, Integer> e : seenAttempts.entrySet()) {
        parallel.acquire();
        executor.execute(
            () -> {
              try {
                check(e.getKey(), e.getValue(), deadline, lost, duplicates, reruns);
              } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
              } finally {
                parallel.release();
              }
            });
      }
    }
    return new RunReport.Invariants(
        seenAttempts.size(),
        lost.size(),
        duplicates.size(),
        reruns.get(),
        List.copyOf(lost),
        List.copyOf(duplicates));
  }

  private void check(
      String jobId,
      int seenAttempt,
      long deadline,
      List<String> lost,
      List<String> duplicates,
      AtomicLong reruns)
      throws InterruptedException {
    Job job = awaitFinal(jobId, deadline);
    if (job == null) {
      lost.add(jobId);
      return;
    }
    int results = results(jobId, deadline);
    int stored = job.getResult().getAttempt();
    if (results > 1 || (seenAttempt > 0 && stored > 0 && seenAttempt != stored)) {
      duplicates.add(jobId);
    }
    if (Math.max(stored, job.getAttempt()) > 1) {
      reruns.incrementAndGet();
    }
  }

  /** The final job, or null when it is unknown or not final by the deadline. */
  private Job awaitFinal(String jobId, long deadline) throws InterruptedException {
    while (true) {
      try {
        Job job =
            stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                .getJob(GetJobRequest.newBuilder().setJobId(jobId).build());
        if (job.getState() == JobState.JOB_STATE_DONE
            || job.getState() == JobState.JOB_STATE_CANCELLED) {
          return job;
        }
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
          return null;
        }
      }
      if (System.nanoTime() > deadline) {
        return null;
      }
      Thread.sleep(250);
    }
  }

  /** Result events in the job's whole stream. */
  private int results(String jobId, long deadline) throws InterruptedException {
    while (true) {
      int results = 0;
      try {
        Iterator<JobEvent> events =
            stub.withDeadlineAfter(15, TimeUnit.SECONDS)
                .streamEvents(StreamEventsRequest.newBuilder().setJobId(jobId).build());
        while (events.hasNext()) {
          results += events.next().hasResult() ? 1 : 0;
        }
        return results;
      } catch (StatusRuntimeException e) {
        // The stream of a final job ends after its result; a deadline means it went on waiting.
        if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
            || System.nanoTime() > deadline) {
          return results;
        }
      }
      Thread.sleep(250);
    }
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
