package dev.polyrun.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import dev.polyrun.coordinator.AdmissionOptions;
import dev.polyrun.proto.v1.CancelJobRequest;
import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.queue.testing.Await;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Admission control against a real backlog: without a worker taking them, submitted jobs wait in
 * Redis, and the coordinator refuses new ones once the backlog is too deep or too old.
 */
class AdmissionIT {
  /** Longer than the 250 ms for which the coordinator reuses the queue's load it last read. */
  private static final long LOAD_REFRESH_MILLIS = 600;

  private static SubmitRequest python(String source) {
    return SubmitRequest.newBuilder()
        .setLanguage("python")
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8(source)))
        .build();
  }

  private static Duration retryDelay(StatusRuntimeException e) throws Exception {
    var detail =
        StatusProto.fromThrowable(e).getDetailsList().stream()
            .filter(d -> d.is(RetryInfo.class))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no RetryInfo in " + e));
    com.google.protobuf.Duration d = detail.unpack(RetryInfo.class).getRetryDelay();
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  private static ExecutorServiceGrpc.ExecutorServiceBlockingStub stub(
      Harness h, AdmissionOptions admission) {
    return Harness.blocking(h.channel(h.coordinator(4, b -> b.admission(admission))));
  }

  @Test
  void aDeepQueueRefusesNewSubmissionsFastWithARetryDelay() throws Exception {
    try (Harness h = new Harness()) {
      var stub =
          stub(
              h,
              new AdmissionOptions(2, Duration.ZERO, Duration.ofSeconds(7), Duration.ofSeconds(1)));
      stub.submit(python("print(1)"));
      stub.submit(python("print(2)"));
      Thread.sleep(LOAD_REFRESH_MILLIS);

      assertThatThrownBy(() -> stub.submit(python("print(3)")))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(e.getStatus().getDescription())
                    .startsWith(
                        "the cluster is overloaded: 2 jobs are waiting for a worker (at most 2 may wait) (retry in 7.0 s)");
                try {
                  assertThat(retryDelay(e)).isEqualTo(Duration.ofSeconds(7));
                } catch (Exception ex) {
                  throw new AssertionError(ex);
                }
              });
    }
  }

  @Test
  void anOldQueueRefusesNewSubmissionsUntilItDrains() throws Exception {
    try (Harness h = new Harness()) {
      var stub =
          stub(
              h,
              new AdmissionOptions(
                  0, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1)));
      List<String> jobs =
          List.of(
              stub.submit(python("print(1)")).getJobId(),
              stub.submit(python("print(2)")).getJobId());
      // the oldest job must have waited past the 1 s maximum: a wait for a time, not for a state
      Thread.sleep(1000 + LOAD_REFRESH_MILLIS);

      assertThatThrownBy(() -> stub.submit(python("print(3)")))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(e.getStatus().getDescription())
                    .contains("the oldest waiting job has waited")
                    .contains("(at most 1.0 s)");
                try {
                  assertThat(retryDelay(e)).isEqualTo(Duration.ofSeconds(2));
                } catch (Exception ex) {
                  throw new AssertionError(ex);
                }
              });

      jobs.forEach(id -> stub.cancelJob(CancelJobRequest.newBuilder().setJobId(id).build()));
      // a worker's next take skips the cancelled jobs and so drains the queue
      assertThat(h.worker.take("test-worker", Duration.ofMillis(200))).isEmpty();

      Await.until(Duration.ofSeconds(10), () -> admitted(stub), "a submission is admitted again");
    }
  }

  private static boolean admitted(ExecutorServiceGrpc.ExecutorServiceBlockingStub stub) {
    try {
      return !stub.submit(python("print('admitted again')")).getJobId().isEmpty();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED) {
        throw e;
      }
      return false;
    }
  }
}
