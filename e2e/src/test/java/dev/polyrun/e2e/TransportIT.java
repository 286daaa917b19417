package dev.polyrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.GetJobRequest;
import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.StreamEventsRequest;
import dev.polyrun.queue.QueueOptions;
import dev.polyrun.queue.testing.Await;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deadlines, result retention and message sizes, through the real coordinator, Redis and worker.
 */
class TransportIT {
  @RegisterExtension static final ClusterExtension cluster = ClusterExtension.standard();

  static ExecuteRequest python(String source) {
    return ExecuteRequest.newBuilder()
        .setLanguage("python")
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8(source)))
        .build();
  }

  private static Job awaitState(String jobId, JobState state) {
    return awaitState(cluster.get(), jobId, state);
  }

  private static Job awaitState(LocalCluster cluster, String jobId, JobState state) {
    return Await.value(
        Duration.ofSeconds(30),
        () ->
            Optional.of(
                    cluster.blocking().getJob(GetJobRequest.newBuilder().setJobId(jobId).build()))
                .filter(job -> job.getState() == state),
        "job " + jobId + " reaches " + state);
  }

  @Test
  void anExecuteCallEndsAtItsDeadlineAndCancelsItsJobWhenAsked() throws Exception {
    ExecuteRequest request =
        python("import time\nprint('started', flush=True)\ntime.sleep(30)").toBuilder()
            .setCancelOnDisconnect(true)
            .build();
    List<JobEvent> seen = new ArrayList<>();
    long started = System.nanoTime();

    assertThatThrownBy(
            () ->
                cluster
                    .blocking()
                    .withDeadlineAfter(3, TimeUnit.SECONDS)
                    .execute(request)
                    .forEachRemaining(seen::add))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
    String jobId = seen.get(0).getJobId();
    assertThat(awaitState(jobId, JobState.JOB_STATE_CANCELLED).getState())
        .isEqualTo(JobState.JOB_STATE_CANCELLED);
  }

  @Test
  void aDeadlineThatPassedBeforeTheCallArrivesSubmitsNothing() throws Exception {
    // a cluster of its own: the shared one may still be settling another test's job (a cancelled
    // one is acknowledged when its worker notices), which would move the depth
    try (LocalCluster own = LocalCluster.builder().start()) {
      long before = own.queue.depth().waiting() + own.queue.depth().pending();

      assertThatThrownBy(
              () ->
                  own.blocking()
                      .withDeadlineAfter(1, TimeUnit.NANOSECONDS)
                      .submit(LocalCluster.asSubmit(python("print(1)"))))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      assertThat(own.queue.depth().waiting() + own.queue.depth().pending()).isEqualTo(before);
    }
  }

  @Test
  void aFinishedJobIsReadableForTheRetentionThenNotFoundWithAClearMessage() throws Exception {
    try (LocalCluster shortLived =
        LocalCluster.builder()
            .queue(QueueOptions.builder().jobTtl(Duration.ofSeconds(3)).build())
            .start()) {
      String jobId =
          shortLived.blocking().submit(LocalCluster.asSubmit(python("print(1)"))).getJobId();
      Job done = awaitState(shortLived, jobId, JobState.JOB_STATE_DONE);
      assertThat(done.getState()).isEqualTo(JobState.JOB_STATE_DONE);
      assertThat(
              shortLived
                  .blocking()
                  .getJob(GetJobRequest.newBuilder().setJobId(jobId).build())
                  .getResult()
                  .getVerdict())
          .as("readable right after")
          .isEqualTo(dev.polyrun.proto.v1.Verdict.VERDICT_OK);

      Thread.sleep(3500);

      assertNotFoundAfterRetention(shortLived, jobId);
    }
  }

  private static void assertNotFoundAfterRetention(LocalCluster cluster, String jobId) {
    assertThatThrownBy(
            () -> cluster.blocking().getJob(GetJobRequest.newBuilder().setJobId(jobId).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo(
                      "job "
                          + jobId
                          + " not found: unknown, or older than this cluster's retention of 3s"
                          + " (results stay readable for 3s after a job's last change)");
            });
    assertThatThrownBy(
            () ->
                cluster
                    .blocking()
                    .streamEvents(StreamEventsRequest.newBuilder().setJobId(jobId).build())
                    .forEachRemaining(e -> {}))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void anOversizedMessageIsRefusedWithAClearError() {
    ExecuteRequest huge =
        python("print(1)").toBuilder().setStdin(ByteString.copyFrom(new byte[21 << 20])).build();

    assertThatThrownBy(() -> cluster.blocking().submit(LocalCluster.asSubmit(huge)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription())
                  .startsWith("request message of ")
                  .contains("bytes is larger than this service accepts (at most 20971520 bytes)");
            });
  }
}
