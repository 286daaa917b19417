package dev.polyrun.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.polyrun.proto.v1.CancelJobRequest;
import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.GetJobRequest;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.ListLanguagesRequest;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.StateChange;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.queue.Delivery;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every refusal names its reason in a google.rpc.ErrorInfo; CancelJob answers what the contract
 * says.
 */
class RefusalReasonsIT {
  @RegisterExtension static final TestCoordinator cluster = new TestCoordinator();

  /**
   * The refusal's details, checking that its ErrorInfo comes first with the expected code and
   * reason.
   */
  private static List<Any> refused(ThrowingCallable call, Status.Code code, String reason) {
    StatusRuntimeException e =
        (StatusRuntimeException) org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(e).as("refusal %s", reason).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(code);
    List<Any> details = StatusProto.fromThrowable(e).getDetailsList();
    try {
      assertThat(details.get(0).unpack(ErrorInfo.class))
          .isEqualTo(ErrorInfo.newBuilder().setDomain("polyrun.dev").setReason(reason).build());
    } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
      throw new AssertionError(ex);
    }
    return details;
  }

  private static ExecutorServiceGrpc.ExecutorServiceBlockingStub stub() {
    return cluster.as(TestCoordinator.KEY);
  }

  @Test
  void unauthenticatedCallsSayWhetherTheKeyIsMissingOrUnknown() {
    var anonymous =
        ExecutorServiceGrpc.newBlockingStub(cluster.channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS);

    refused(
        () -> anonymous.listLanguages(ListLanguagesRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        "API_KEY_MISSING");
    refused(
        () -> cluster.as("k-nobody").listLanguages(ListLanguagesRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        "API_KEY_INVALID");
  }

  @Test
  void invalidRequestsNameTheirKindBesideTheirFieldViolations() throws Exception {
    SubmitRequest hello = TestCoordinator.python("print(1)");
    SubmitRequest tooMuchMemory =
        hello.toBuilder().setRunLimits(Limits.newBuilder().setMemoryBytes(1L << 40)).build();

    refused(
        () -> stub().submit(hello.toBuilder().setLanguage("cobol").build()),
        Status.Code.INVALID_ARGUMENT,
        "UNKNOWN_LANGUAGE");
    refused(
        () -> stub().submit(hello.toBuilder().setVersion("2.7").build()),
        Status.Code.INVALID_ARGUMENT,
        "UNKNOWN_VERSION");
    List<Any> limit =
        refused(
            () -> stub().submit(tooMuchMemory),
            Status.Code.INVALID_ARGUMENT,
            "LIMIT_ABOVE_MAXIMUM");
    assertThat(limit.get(1).unpack(BadRequest.class).getFieldViolations(0).getField())
        .isEqualTo("run_limits.memory_bytes");
    refused(
        () -> stub().submit(tooMuchMemory.toBuilder().setLanguage("cobol").build()),
        Status.Code.INVALID_ARGUMENT,
        "INVALID_REQUEST");
    refused(
        () -> stub().getJob(GetJobRequest.newBuilder().setJobId("x").build()),
        Status.Code.INVALID_ARGUMENT,
        "INVALID_REQUEST");
  }

  @Test
  void anUnknownJobAndAReusedIdempotencyKeyHaveTheirReasons() {
    refused(
        () ->
            stub()
                .getJob(GetJobRequest.newBuilder().setJobId(UUID.randomUUID().toString()).build()),
        Status.Code.NOT_FOUND,
        "JOB_NOT_FOUND");
    SubmitRequest keyed =
        TestCoordinator.python("print(1)").toBuilder()
            .setIdempotencyKey("reason-" + UUID.randomUUID())
            .build();
    stub().submit(keyed);

    refused(
        () -> stub().submit(keyed.toBuilder().setStdin(ByteString.copyFromUtf8("other")).build()),
        Status.Code.ALREADY_EXISTS,
        "IDEMPOTENCY_KEY_REUSED");
  }

  @Test
  void aTenantOverItsQuotaIsToldTheReasonAndWhenToRetry() throws Exception {
    var quota = cluster.as(TestCoordinator.QUOTA_KEY);
    String first = quota.submit(TestCoordinator.python("print(1)")).getJobId();
    try {
      List<Any> details =
          refused(
              () -> quota.submit(TestCoordinator.python("print(2)")),
              Status.Code.RESOURCE_EXHAUSTED,
              "QUOTA_EXCEEDED");

      assertThat(details.get(1).unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(1);
    } finally {
      quota.cancelJob(CancelJobRequest.newBuilder().setJobId(first).build());
    }
  }

  @Test
  void aMessageOverTheLimitIsRefusedWithItsReasonAndNoRetryDelay() {
    SubmitRequest huge =
        TestCoordinator.python("print(1)").toBuilder()
            .setStdin(ByteString.copyFrom(new byte[Coordinator.MAX_MESSAGE_BYTES + 1]))
            .build();

    List<Any> details =
        refused(() -> stub().submit(huge), Status.Code.RESOURCE_EXHAUSTED, "MESSAGE_TOO_LARGE");

    assertThat(details).hasSize(1);
  }

  @Test
  void cancelAnswersCancelledWhenItTookEffectAndTheFinalStateWhenItCameTooLate() {
    String queued = stub().submit(TestCoordinator.python("print(1)")).getJobId();
    assertThat(cancel(queued)).isEqualTo(JobState.JOB_STATE_CANCELLED);

    Delivery running = takeAndStart(stub().submit(TestCoordinator.python("print(2)")).getJobId());
    assertThat(cancel(running.jobId()))
        .as("a running job is flagged: it stops within a second")
        .isEqualTo(JobState.JOB_STATE_CANCELLED);
    assertThat(cluster.queue.cancelRequested(running.jobId())).isTrue();

    Delivery done = takeAndStart(stub().submit(TestCoordinator.python("print(3)")).getJobId());
    cluster.queue.complete(
        done,
        2,
        Result.newBuilder().setVerdict(Verdict.VERDICT_OK).build(),
        JobState.JOB_STATE_DONE);
    assertThat(cancel(done.jobId())).isEqualTo(JobState.JOB_STATE_DONE);
  }

  private static JobState cancel(String jobId) {
    return stub().cancelJob(CancelJobRequest.newBuilder().setJobId(jobId).build()).getState();
  }

  /** Takes the job as a worker would and reports it RUNNING. */
  private static Delivery takeAndStart(String jobId) {
    for (int i = 0; i < 20; i++) {
      var delivery = cluster.queue.take("test-worker", Duration.ofMillis(500));
      if (delivery.isPresent() && delivery.get().jobId().equals(jobId)) {
        JobEvent running =
            JobEvent.newBuilder()
                .setState(
                    StateChange.newBuilder()
                        .setState(JobState.JOB_STATE_RUNNING)
                        .setAttempt(delivery.get().attempt()))
                .build();
        assertThat(cluster.queue.publish(delivery.get(), 1, running, JobState.JOB_STATE_RUNNING))
            .isTrue();
        return delivery.get();
      }
    }
    throw new AssertionError("job " + jobId + " was never delivered");
  }
}
