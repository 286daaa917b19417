package dev.polyrun.coordinator.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.SubmitResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed loop of Submit calls: {@code concurrency} calls in flight at all times, spread over the
 * channels, each as one of the given tenants in turn. Latencies are kept apart by outcome, so an
 * accepted and a refused submission are compared at the same load.
 */
final class SubmitLoad {
  /** What one run measured. */
  record Report(
      double seconds,
      Latencies accepted,
      Latencies refused,
      java.util.Map<Status.Code, Long> errors,
      double[] cpu) {
    double acceptedPerSecond() {
      return accepted.count() / seconds;
    }

    double refusedPerSecond() {
      return refused.count() / seconds;
    }
  }

  private final List<ExecutorServiceGrpc.ExecutorServiceFutureStub> stubs = new ArrayList<>();
  private final int concurrency;
  private final boolean keyed;
  private final AtomicLong sequence = new AtomicLong();

  /** One stub per channel and API key; calls take them in turn. */
  SubmitLoad(List<ManagedChannel> channels, List<String> apiKeys, int concurrency, boolean keyed) {
    for (ManagedChannel channel : channels) {
      for (String key : apiKeys) {
        Metadata headers = new Metadata();
        headers.put(
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
        stubs.add(
            ExecutorServiceGrpc.newFutureStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)));
      }
    }
    this.concurrency = concurrency;
    this.keyed = keyed;
  }

  /**
   * Runs {@code warmup} unmeasured, then {@code measure} measured (CPU too, when a meter is given).
   */
  Report run(Duration warmup, Duration measure, CpuMeter cpu) throws InterruptedException {
    Latencies accepted = new Latencies();
    Latencies refused = new Latencies();
    ConcurrentHashMap<Status.Code, Long> errors = new ConcurrentHashMap<>();
    Semaphore inFlight = new Semaphore(concurrency);
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + measure.toNanos();
    int turn = 0;
    boolean metering = false;
    while (System.nanoTime() < end) {
      if (!metering && cpu != null && System.nanoTime() >= measureFrom) {
        cpu.start();
        metering = true;
      }
      inFlight.acquire();
      long sent = System.nanoTime();
      ExecutorServiceGrpc.ExecutorServiceFutureStub stub = stubs.get(turn++ % stubs.size());
      Futures.addCallback(
          stub.withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS).submit(request()),
          new FutureCallback<SubmitResponse>() {
            @Override
            public void onSuccess(SubmitResponse response) {
              record(accepted);
            }

            @Override
            public void onFailure(Throwable t) {
              Status.Code code = Status.fromThrowable(t).getCode();
              if (code == Status.Code.RESOURCE_EXHAUSTED) {
                record(refused);
                return;
              }
              if (sent >= measureFrom) {
                errors.merge(code, 1L, Long::sum);
              }
              inFlight.release();
            }

            private void record(Latencies into) {
              long now = System.nanoTime();
              if (sent >= measureFrom && now <= end) {
                into.add(now - sent);
              }
              inFlight.release();
            }
          },
          MoreExecutors.directExecutor());
    }
    double[] used = metering ? cpu.stop() : null;
    inFlight.acquire(concurrency);
    return new Report(measure.toNanos() / 1e9, accepted, refused, errors, used);
  }

  private SubmitRequest request() {
    long n = sequence.incrementAndGet();
    SubmitRequest.Builder b =
        SubmitRequest.newBuilder()
            .setLanguage("python")
            .addFiles(
                SourceFile.newBuilder().setContent(ByteString.copyFromUtf8("print(" + n + ")")));
    if (keyed) {
      b.setIdempotencyKey("bench-" + n);
    }
    return b.build();
  }
}
