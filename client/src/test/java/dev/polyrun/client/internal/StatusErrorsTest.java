package dev.polyrun.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.polyrun.client.FieldViolation;
import dev.polyrun.client.PolyrunException;
import dev.polyrun.client.PolyrunRequestException;
import dev.polyrun.client.PolyrunUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StatusErrorsTest {
  @ParameterizedTest
  @EnumSource(
      value = Status.Code.class,
      names = {"UNAVAILABLE", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED", "ABORTED"})
  void transientCodesAreRetryable(Status.Code code) {
    PolyrunException e = StatusErrors.toException(Status.fromCode(code).asRuntimeException());

    assertThat(e).isInstanceOf(PolyrunUnavailableException.class);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.code()).isEqualTo(code);
  }

  @ParameterizedTest
  @EnumSource(
      value = Status.Code.class,
      names = {
        "INVALID_ARGUMENT",
        "NOT_FOUND",
        "UNAUTHENTICATED",
        "PERMISSION_DENIED",
        "FAILED_PRECONDITION",
        "UNIMPLEMENTED",
        "INTERNAL",
        "CANCELLED"
      })
  void refusalsAreNotRetryable(Status.Code code) {
    PolyrunException e = StatusErrors.toException(Status.fromCode(code).asRuntimeException());

    assertThat(e).isInstanceOf(PolyrunRequestException.class);
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void messageIsTheCodeAndTheDescription() {
    StatusRuntimeException grpc =
        Status.INVALID_ARGUMENT
            .withDescription("language: 'cobol' (expected: one of c, python)")
            .asRuntimeException();

    PolyrunException e = StatusErrors.toException(grpc);

    assertThat(e)
        .hasMessage("INVALID_ARGUMENT: language: 'cobol' (expected: one of c, python)")
        .hasCause(grpc);
    assertThat(e.description()).isEqualTo("language: 'cobol' (expected: one of c, python)");
  }

  @Test
  void fieldViolationsAreReadFromTheStatusDetails() {
    BadRequest badRequest =
        BadRequest.newBuilder()
            .addFieldViolations(
                BadRequest.FieldViolation.newBuilder()
                    .setField("run_limits.memory_bytes")
                    .setDescription("17179869184 (expected: <= 1073741824)"))
            .build();
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(Code.INVALID_ARGUMENT_VALUE)
            .setMessage("invalid request")
            .addDetails(Any.pack(badRequest))
            .build();

    PolyrunException e = StatusErrors.toException(StatusProto.toStatusRuntimeException(status));

    assertThat(e).isInstanceOf(PolyrunRequestException.class);
    assertThat(((PolyrunRequestException) e).fieldViolations())
        .containsExactly(
            new FieldViolation("run_limits.memory_bytes", "17179869184 (expected: <= 1073741824)"));
  }

  @Test
  void retryDelayIsReadFromTheStatusDetails() {
    RetryInfo retryInfo =
        RetryInfo.newBuilder()
            .setRetryDelay(
                com.google.protobuf.Duration.newBuilder().setSeconds(2).setNanos(5_000_000))
            .build();
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
            .setMessage("queue full")
            .addDetails(Any.pack(retryInfo))
            .build();

    PolyrunException e = StatusErrors.toException(StatusProto.toStatusRuntimeException(status));

    assertThat(((PolyrunUnavailableException) e).retryDelay()).contains(Duration.ofMillis(2005));
  }

  @Test
  void theServicesReasonIsReadFromItsErrorInfo() {
    com.google.rpc.Status quota =
        com.google.rpc.Status.newBuilder()
            .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
            .setMessage("tenant acme has 2 jobs queued or running")
            .addDetails(
                Any.pack(
                    ErrorInfo.newBuilder()
                        .setDomain("other.example")
                        .setReason("NOT_OURS")
                        .build()))
            .addDetails(
                Any.pack(
                    ErrorInfo.newBuilder()
                        .setDomain("polyrun.dev")
                        .setReason("QUOTA_EXCEEDED")
                        .build()))
            .build();
    com.google.rpc.Status language =
        quota.toBuilder()
            .setCode(Code.INVALID_ARGUMENT_VALUE)
            .setDetails(
                1,
                Any.pack(
                    ErrorInfo.newBuilder()
                        .setDomain("polyrun.dev")
                        .setReason("UNKNOWN_LANGUAGE")
                        .build()))
            .build();

    assertThat(StatusErrors.toException(StatusProto.toStatusRuntimeException(quota)).reason())
        .isEqualTo("QUOTA_EXCEEDED");
    assertThat(StatusErrors.toException(StatusProto.toStatusRuntimeException(language)).reason())
        .isEqualTo("UNKNOWN_LANGUAGE");
    assertThat(StatusErrors.toException(Status.DEADLINE_EXCEEDED.asRuntimeException()).reason())
        .isEmpty();
  }

  @Test
  void clientSideCauseIsPartOfTheDescription() {
    StatusRuntimeException grpc =
        Status.UNAVAILABLE
            .withDescription("io exception")
            .withCause(new ConnectException("Connection refused: localhost/127.0.0.1:50051"))
            .asRuntimeException();

    PolyrunException e = StatusErrors.toException(grpc);

    assertThat(e.description())
        .isEqualTo("io exception: Connection refused: localhost/127.0.0.1:50051");
  }

  @Test
  void streamFailuresCarryTheJobAndCursorToResumeFrom() {
    PolyrunException e =
        StatusErrors.toException(Status.UNAVAILABLE.asRuntimeException(), "job-7", "c-42");

    assertThat(e.jobId()).contains("job-7");
    assertThat(e.lastCursor()).contains("c-42");
    assertThat(StatusErrors.toException(Status.UNAVAILABLE.asRuntimeException()).jobId()).isEmpty();
  }
}
