package dev.polyrun.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.StreamEventsRequest;
import dev.polyrun.queue.Delivery;
import dev.polyrun.queue.testing.TestRedis;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Hundreds of clients leaving their streams at once: the coordinator ends them quietly. */
@Tag("fault")
class MassCancelIT {
  /** Below the coordinator's Redis pool (today a stream holds a connection while it waits). */
  private static final int STREAMS = 200;

  private FaultCluster cluster;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    cluster = new FaultCluster();
  }

  @AfterEach
  void stop() throws Exception {
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    cluster.close();
  }

  @Test
  void clientsCancellingTheirStreamsAtOnceLeaveNoErrorInTheCoordinatorsLog() throws Exception {
    int port = TestRedis.freePort();
    JavaProcess coordinator = cluster.coordinator(port);
    String id = cluster.queue.submit(FaultCluster.python("print('x')"));
    Delivery d = cluster.queue.take("test-writer", Duration.ofSeconds(1)).orElseThrow();
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer =
        Thread.ofVirtual()
            .start(
                () -> {
                  long seq = 0;
                  cluster.queue.publish(
                      d, ++seq, JobEvent.getDefaultInstance(), JobState.JOB_STATE_RUNNING);
                  while (writing.get()) {
                    cluster.queue.publish(
                        d,
                        ++seq,
                        JobEvent.newBuilder().setStdout(ByteString.copyFromUtf8("line\n")).build(),
                        null);
                    try {
                      Thread.sleep(2);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    // several clients: one HTTP/2 connection carries at most 100 streams at once
    for (int i = 0; i < 4; i++) {
      channels.add(ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
    }
    CountDownLatch receiving = new CountDownLatch(STREAMS);
    List<Context.CancellableContext> calls = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      Context.CancellableContext call = Context.current().withCancellation();
      calls.add(call);
      ExecutorServiceGrpc.ExecutorServiceStub stub =
          ExecutorServiceGrpc.newStub(channels.get(i % channels.size()));
      call.run(
          () ->
              stub.streamEvents(
                  StreamEventsRequest.newBuilder().setJobId(id).build(),
                  new StreamObserver<>() {
                    boolean counted;

                    @Override
                    public void onNext(JobEvent value) {
                      if (!counted) {
                        counted = true;
                        receiving.countDown();
                      }
                    }

                    @Override
                    public void onError(Throwable t) {
                      // a stream the coordinator refused (e.g. SERVER_BUSY while its pool is short)
                      // was answered too
                      if (!counted) {
                        counted = true;
                        receiving.countDown();
                      }
                    }

                    @Override
                    public void onCompleted() {}
                  }));
    }
    try {
      assertThat(receiving.await(60, TimeUnit.SECONDS))
          .as("every stream is answered: an event or a refusal")
          .isTrue();
      calls.subList(0, STREAMS / 2).forEach(c -> c.cancel(null));
      // and clients that go away without a word: their connections reset
      for (ManagedChannel c : channels) {
        c.shutdownNow();
      }
      Thread.sleep(3000);
    } finally {
      writing.set(false);
      writer.join();
    }

    assertThat(coordinator.isAlive()).isTrue();
    assertThat(coordinator.log()).doesNotContain("Exception").doesNotContain("ERROR");
  }
}
