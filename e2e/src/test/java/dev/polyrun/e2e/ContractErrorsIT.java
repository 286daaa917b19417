package dev.polyrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import dev.polyrun.client.PolyrunClient;
import dev.polyrun.client.PolyrunException;
import dev.polyrun.coordinator.AuthMode;
import dev.polyrun.coordinator.Tenants;
import dev.polyrun.proto.v1.CancelJobRequest;
import dev.polyrun.proto.v1.GetJobRequest;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.StreamEventsRequest;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.Verdict;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract's error model and CancelJob's answer as a grpc-java client sees them, on a real
 * cluster.
 */
class ContractErrorsIT {
  private static final String KEY = "key-contract";

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.of(
          b ->
              b.coordinator(
                  c ->
                      c.auth(AuthMode.KEYS)
                          .tenants(
                              Tenants.of(List.of(LocalCluster.tenant("contract", KEY, 1, 0, 1))))));

  private static SubmitRequest python(String source) {
    return SubmitRequest.newBuilder()
        .setLanguage("python")
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8(source)))
        .build();
  }

  private static String reason(StatusRuntimeException e) {
    return StatusDetails.detail(e, ErrorInfo.class).getReason();
  }

  @Test
  void anUnknownMethodIsUnimplementedNotUnknown() {
    MethodDescriptor<byte[], byte[]> nope =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("polyrun.v1.ExecutorService/Nope")
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                ClientCalls.blockingUnaryCall(
                    cluster.get().channel,
                    nope,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                    new byte[0]));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(reason(e)).isEqualTo("UNKNOWN_METHOD");
  }

  @Test
  void reflectionV1alphaListsTheServiceForToolsThatSpeakIt() throws Exception {
    var answer =
        new java.util.concurrent.CompletableFuture<
            io.grpc.reflection.v1alpha.ServerReflectionResponse>();
    var stream =
        io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(cluster.get().channel)
            .serverReflectionInfo(
                new io.grpc.stub.StreamObserver<>() {
                  @Override
                  public void onNext(io.grpc.reflection.v1alpha.ServerReflectionResponse value) {
                    answer.complete(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    stream.onNext(
        io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
            .setListServices("")
            .build());

    var services = answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList();
    stream.onCompleted();

    assertThat(services)
        .extracting(io.grpc.reflection.v1alpha.ServiceResponse::getName)
        .contains("polyrun.v1.ExecutorService", "grpc.reflection.v1alpha.ServerReflection");
  }

  @Test
  void aRefusalsMessageArrivesAsItWasWrittenWithItsReason() {
    SubmitRequest request =
        python("print(1)").toBuilder()
            .setLanguage("pythön")
            .setRunLimits(Limits.newBuilder().setMemoryBytes(17179869184L))
            .build();

    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> cluster.as(KEY).submit(request));

    assertThat(e.getStatus().getDescription())
        .startsWith("language: 'pythön' (expected: one of [")
        .contains("]); run_limits.memory_bytes: 17179869184 (expected: 0 for the default, or 1..");
    assertThat(reason(e)).isEqualTo("INVALID_REQUEST");
    assertThat(StatusDetails.fields(e)).containsExactly("language", "run_limits.memory_bytes");
  }

  @Test
  void theJavaClientExposesTheReasonToBranchOn() {
    try (PolyrunClient client =
        PolyrunClient.builder(cluster.target())
            .apiKey(KEY)
            .deadline(Duration.ofSeconds(20))
            .maxResumes(0)
            .build()) {
      PolyrunException unknownLanguage =
          catchThrowableOfType(
              PolyrunException.class,
              () -> client.submit(python("print(1)").toBuilder().setLanguage("intercal").build()));
      PolyrunException unknownJob =
          catchThrowableOfType(
              PolyrunException.class, () -> client.getJob("00000000-0000-4000-8000-000000000000"));

      assertThat(unknownLanguage.reason()).isEqualTo("UNKNOWN_LANGUAGE");
      assertThat(unknownJob.reason()).isEqualTo("JOB_NOT_FOUND");
    }
  }

  @Test
  void cancellingARunningJobAnswersCancelledAndItsStreamEndsCancelled() {
    var stub = cluster.as(KEY);
    String jobId =
        stub.submit(python("import time\nprint('started', flush=True)\ntime.sleep(60)")).getJobId();
    Iterator<JobEvent> events =
        stub.streamEvents(StreamEventsRequest.newBuilder().setJobId(jobId).build());
    JobEvent event = events.next();
    while (!event.hasStdout()) {
      event = events.next();
    }

    try {
      StatusRuntimeException overQuota =
          catchThrowableOfType(StatusRuntimeException.class, () -> stub.submit(python("print(2)")));
      assertThat(reason(overQuota)).isEqualTo("QUOTA_EXCEEDED");
      assertThat(overQuota.getStatus().getDescription())
          .contains(", its most at once; retry when one has finished (retry in");
    } finally {
      assertThat(stub.cancelJob(CancelJobRequest.newBuilder().setJobId(jobId).build()).getState())
          .isEqualTo(JobState.JOB_STATE_CANCELLED);
    }
    while (!event.hasResult()) {
      event = events.next();
    }

    assertThat(event.getResult().getVerdict()).isEqualTo(Verdict.VERDICT_CANCELLED);
    assertThat(stub.cancelJob(CancelJobRequest.newBuilder().setJobId(jobId).build()).getState())
        .as("a second cancel comes too late: the final state")
        .isEqualTo(JobState.JOB_STATE_CANCELLED);
    assertThat(stub.getJob(GetJobRequest.newBuilder().setJobId(jobId).build()).getState())
        .isEqualTo(JobState.JOB_STATE_CANCELLED);
  }

  @Test
  void cancellingAFinishedJobAnswersItsFinalState() {
    var stub = cluster.as(KEY);
    String jobId = stub.submit(python("print(1)")).getJobId();
    stub.streamEvents(StreamEventsRequest.newBuilder().setJobId(jobId).build())
        .forEachRemaining(e -> {});

    assertThat(stub.cancelJob(CancelJobRequest.newBuilder().setJobId(jobId).build()).getState())
        .isEqualTo(JobState.JOB_STATE_DONE);
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
