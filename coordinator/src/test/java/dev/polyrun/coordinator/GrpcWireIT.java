package dev.polyrun.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.ErrorInfo;
import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.GetJobRequest;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.StreamEventsRequest;
import dev.polyrun.queue.QueueOptions;
import dev.polyrun.queue.internal.Keys;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/** What goes on the wire where gRPC clients other than grpc-java look closely. */
class GrpcWireIT {
  @RegisterExtension static final TestCoordinator cluster = new TestCoordinator();
  private static final Map<String, String> AUTH =
      Map.of("authorization", "Bearer " + TestCoordinator.KEY);
  private static RawGrpc raw;

  @BeforeAll
  static void start() {
    raw = new RawGrpc(cluster.coordinator.grpcPort());
  }

  @AfterAll
  static void stop() throws Exception {
    raw.close();
  }

  private static String reason(RawGrpc.Response r) throws Exception {
    byte[] details = Base64.getDecoder().decode(r.single("grpc-status-details-bin"));
    return com.google.rpc.Status.parseFrom(details)
        .getDetails(0)
        .unpack(ErrorInfo.class)
        .getReason();
  }

  @Test
  void anUnknownMethodIsUnimplementedInATrailersOnlyHttp200Response() throws Exception {
    RawGrpc.Response r =
        raw.call("/polyrun.v1.ExecutorService/Nope", new byte[0], AUTH, data -> {});

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().get("content-type")).containsExactly("application/grpc");
    assertThat(r.headers().get("grpc-status")).containsExactly("12");
    assertThat(r.trailers()).isEmpty();
    assertThat(r.single("grpc-message"))
        .startsWith("unknown method 'Nope' of polyrun.v1.ExecutorService (expected:");
    assertThat(reason(r)).isEqualTo("UNKNOWN_METHOD");
  }

  @Test
  void anUnknownServiceIsUnimplementedForAGrpcJavaClient() {
    MethodDescriptor<byte[], byte[]> method =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("polyrun.v2.Executor/Submit")
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();

    assertThatThrownBy(
            () ->
                ClientCalls.blockingUnaryCall(
                    cluster.channel,
                    method,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                    new byte[0]))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
              assertThat(e.getStatus().getDescription())
                  .startsWith("unknown service 'polyrun.v2.Executor' (expected: one of [");
            });
  }

  @Test
  void aRefusalsMessageIsPercentEncodedOnlyWhereTheSpecSays() throws Exception {
    byte[] request =
        TestCoordinator.python("print(1)").toBuilder()
            .setLanguage("pythön")
            .setRunLimits(Limits.newBuilder().setMemoryBytes(17179869184L))
            .build()
            .toByteArray();

    RawGrpc.Response r = raw.call("/polyrun.v1.ExecutorService/Submit", request, AUTH, data -> {});

    assertThat(r.single("grpc-status")).isEqualTo("3");
    assertThat(r.single("grpc-message"))
        .startsWith(
            "language: 'pyth%C3%B6n' (expected: one of [python]); run_limits.memory_bytes: 17179869184 (expected:"
                + " 0 for the default, or 1..")
        .doesNotContain("%20", "%2C", "%3B", "%3A", "%27", "%28", "+");
    assertThat(reason(r)).isEqualTo("INVALID_REQUEST");
  }

  @Test
  void aPercentSignAndNonAsciiReachAGrpcJavaClientAsTheyWere() {
    assertThatThrownBy(
            () ->
                cluster
                    .as(TestCoordinator.KEY)
                    .getJob(GetJobRequest.newBuilder().setJobId("50% pythön+1").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e ->
                assertThat(e.getStatus().getDescription())
                    .isEqualTo(
                        "job_id: '50% pythön+1' (expected: a job id returned by Submit or Execute)"));
  }

  @Test
  void aStreamThatFailsAfterItsFirstEventSendsItsMessageInTheTrailersEncodedTheSameWay()
      throws Exception {
    String jobId =
        cluster.as(TestCoordinator.KEY).submit(TestCoordinator.python("print(1)")).getJobId();
    byte[] request = StreamEventsRequest.newBuilder().setJobId(jobId).build().toByteArray();
    String jobKey = new Keys(QueueOptions.defaults().keyPrefix()).job(jobId);

    RawGrpc.Response r =
        raw.call(
            "/polyrun.v1.ExecutorService/StreamEvents",
            request,
            AUTH,
            data -> {
              // the QUEUED event went out with the headers: the job now vanishes as if it had
              // expired
              try (Jedis jedis = new Jedis(cluster.redis.host(), cluster.redis.port())) {
                jedis.del(jobKey);
              }
            });

    assertThat(r.headers()).doesNotContainKey("grpc-status");
    assertThat(r.trailers().get("grpc-status")).containsExactly("5");
    assertThat(r.single("grpc-message")).isEqualTo("job " + jobId + " expired while streaming");
    assertThat(reason(r)).isEqualTo("JOB_NOT_FOUND");
  }

  @Test
  void aUnaryCallIsAnsweredWhile101StreamsAreOpenOnTheSameConnection() throws Exception {
    var stub = cluster.as(TestCoordinator.KEY);
    String jobId = stub.submit(TestCoordinator.python("print(1)")).getJobId();
    List<ClientCallStreamObserver<StreamEventsRequest>> streams = new ArrayList<>();
    CountDownLatch firstEvents = new CountDownLatch(101);
    Metadata auth = new Metadata();
    auth.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + TestCoordinator.KEY);
    var async =
        ExecutorServiceGrpc.newStub(cluster.channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));
    try {
      for (int i = 0; i < 101; i++) {
        async.streamEvents(
            StreamEventsRequest.newBuilder().setJobId(jobId).build(),
            new FirstEvent(streams, firstEvents));
      }
      assertThat(firstEvents.await(30, TimeUnit.SECONDS))
          .as("all 101 streams delivered their first event")
          .isTrue();

      var job =
          stub.withDeadlineAfter(10, TimeUnit.SECONDS)
              .getJob(GetJobRequest.newBuilder().setJobId(jobId).build());

      assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_QUEUED);
    } finally {
      synchronized (streams) {
        streams.forEach(s -> s.cancel("test over", null));
      }
    }
  }

  /** Counts a stream's first event and keeps the stream open until the test cancels it. */
  private record FirstEvent(
      List<ClientCallStreamObserver<StreamEventsRequest>> streams, CountDownLatch latch)
      implements ClientResponseObserver<StreamEventsRequest, JobEvent> {
    @Override
    public void beforeStart(ClientCallStreamObserver<StreamEventsRequest> stream) {
      synchronized (streams) {
        streams.add(stream);
      }
    }

    @Override
    public void onNext(JobEvent event) {
      if (event.getState().getState() == JobState.JOB_STATE_QUEUED) {
        latch.countDown();
      }
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      };
}
