package dev.polyrun.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.polyrun.queue.QueueDataException;
import dev.polyrun.queue.QueueUnavailableException;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusesTest {
  private static List<Any> details(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    assertThat(status).as("google.rpc.Status of %s", e).isNotNull();
    return status.getDetailsList();
  }

  private static ErrorInfo errorInfo(StatusRuntimeException e)
      throws InvalidProtocolBufferException {
    Any first = details(e).get(0);
    assertThat(first.is(ErrorInfo.class)).as("first detail of %s is ErrorInfo", e).isTrue();
    return first.unpack(ErrorInfo.class);
  }

  @Test
  void aQuotaRefusalCarriesErrorInfoFirstThenItsRetryDelay() throws Exception {
    StatusRuntimeException e =
        Statuses.resourceExhausted(
            Reason.QUOTA_EXCEEDED, "tenant acme is over", Duration.ofMillis(1500));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription()).isEqualTo("tenant acme is over (retry in 1.5 s)");
    assertThat(errorInfo(e))
        .isEqualTo(
            ErrorInfo.newBuilder().setDomain("polyrun.dev").setReason("QUOTA_EXCEEDED").build());
    assertThat(details(e)).hasSize(2);
    assertThat(details(e).get(1).unpack(RetryInfo.class).getRetryDelay().getNanos())
        .isEqualTo(500_000_000);
  }

  @Test
  void anInvalidRequestCarriesErrorInfoThenItsFieldViolations() throws Exception {
    StatusRuntimeException e = Statuses.invalid("job_id", "'x' (expected: a job id)");

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(errorInfo(e).getReason()).isEqualTo("INVALID_REQUEST");
    assertThat(details(e).get(1).unpack(BadRequest.class).getFieldViolations(0).getField())
        .isEqualTo("job_id");
  }

  @Test
  void violationsOfOneKindGiveTheirReasonAndMixedOnesInvalidRequest() throws Exception {
    Violation language = new Violation("language", "'cobol'", Reason.UNKNOWN_LANGUAGE);
    Violation limit =
        new Violation("run_limits.memory_bytes", "17179869184", Reason.LIMIT_ABOVE_MAXIMUM);
    List<Violation> manyLimits = new ArrayList<>();
    for (int i = 0; i < InvalidRequestException.MAX_REPORTED + 5; i++) {
      manyLimits.add(limit);
    }

    assertThat(reasonOf(List.of(language))).isEqualTo("UNKNOWN_LANGUAGE");
    assertThat(reasonOf(List.of(limit, limit))).isEqualTo("LIMIT_ABOVE_MAXIMUM");
    assertThat(reasonOf(List.of(language, limit))).isEqualTo("INVALID_REQUEST");
    assertThat(reasonOf(List.of(new Violation("files", "no source file"))))
        .isEqualTo("INVALID_REQUEST");
    assertThat(reasonOf(manyLimits))
        .as("the line counting the rest is no violation of its own kind")
        .isEqualTo("LIMIT_ABOVE_MAXIMUM");
  }

  private static String reasonOf(List<Violation> violations) throws InvalidProtocolBufferException {
    return errorInfo(Statuses.toStatus(new InvalidRequestException(violations))).getReason();
  }

  @Test
  void failuresOfTheJobStoreAndDefectsHaveTheirReasons() throws Exception {
    StatusRuntimeException down =
        Statuses.toStatus(new QueueUnavailableException("redis unavailable", null));
    StatusRuntimeException unreadable =
        Statuses.toStatus(new QueueDataException("unreadable spec", null));
    StatusRuntimeException defect = Statuses.toStatus(new IllegalStateException("bug"));

    assertThat(down.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(errorInfo(down).getReason()).isEqualTo("JOB_STORE_UNAVAILABLE");
    assertThat(unreadable.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(errorInfo(unreadable).getReason()).isEqualTo("INTERNAL");
    assertThat(defect.getStatus().getDescription()).isEqualTo("internal error");
    assertThat(errorInfo(defect).getReason()).isEqualTo("INTERNAL");
  }

  @Test
  void eachRefusalHelperSendsItsReasonWithItsCode() throws Exception {
    assertThat(errorInfo(Statuses.notFound("job x not found")).getReason())
        .isEqualTo("JOB_NOT_FOUND");
    assertThat(errorInfo(Statuses.alreadyExists("key reused")).getReason())
        .isEqualTo("IDEMPOTENCY_KEY_REUSED");
    assertThat(errorInfo(Statuses.aborted("key pending")).getReason())
        .isEqualTo("IDEMPOTENCY_KEY_PENDING");
    assertThat(Statuses.aborted("key pending").getStatus().getCode())
        .isEqualTo(Status.Code.ABORTED);
    assertThat(errorInfo(Statuses.unavailable(Reason.NO_WORKERS, "no worker")).getReason())
        .isEqualTo("NO_WORKERS");
    assertThat(
            errorInfo(Statuses.unauthenticated(Reason.API_KEY_INVALID, "unknown key")).getReason())
        .isEqualTo("API_KEY_INVALID");
    StatusRuntimeException tooLarge = Statuses.tooLarge("too large");
    assertThat(tooLarge.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(details(tooLarge)).as("no retry helps a message too large").hasSize(1);
    assertThat(Statuses.unimplemented("nope").getStatus().getCode())
        .isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  @Test
  void aReasonOfAnotherCodeIsADefectAtTheThrowSite() {
    assertThatThrownBy(() -> Statuses.unauthenticated(Reason.QUOTA_EXCEEDED, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "reason QUOTA_EXCEEDED goes with RESOURCE_EXHAUSTED (expected: a reason of UNAUTHENTICATED)");
  }

  @Test
  void theEndOfTheCallItselfCarriesNoReason() {
    Context.CancellableContext cancelled = Context.current().withCancellation();
    cancelled.cancel(null);

    StatusRuntimeException e = Statuses.callEnded(cancelled);

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.CANCELLED);
    assertThat(Statuses.reasonOf(e)).isEmpty();
  }
}
