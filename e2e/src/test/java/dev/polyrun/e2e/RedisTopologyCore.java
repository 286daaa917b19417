package dev.polyrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.polyrun.coordinator.AuthMode;
import dev.polyrun.coordinator.Tenants;
import dev.polyrun.proto.v1.CancelJobRequest;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.GetJobRequest;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.StreamEventsRequest;
import dev.polyrun.proto.v1.TestCase;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.queue.testing.Await;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core of the end-to-end suite (submit, stream, judge, cancel, idempotency, quotas, reclaim,
 * dead letters) on one Redis topology; a subclass names the topology. Reclaim and dead letters use
 * jobs of a language no worker runs, taken by hand, so that no real worker races for them. The
 * suite's other tests run on one redis-server.
 */
abstract class RedisTopologyCore {
  /** The cluster the subclass's {@link #on} extension started, for this class's tests. */
  static LocalCluster cluster;

  /** The extension a subclass registers: the core's cluster on {@code topology}. */
  static ClusterExtension on(LocalCluster.RedisTopology topology) {
    return ClusterExtension.of(
        b ->
            b.redis(topology)
                .coordinator(
                    c ->
                        c.auth(AuthMode.KEYS)
                            .tenants(
                                Tenants.of(
                                    List.of(
                                        LocalCluster.tenant("acme", "key-acme", 2, 100, 100),
                                        LocalCluster.tenant(
                                            "globex", "key-globex", 100, 100, 100))))));
  }

  @BeforeAll
  static void bind(LocalCluster started) {
    cluster = started;
  }

  @AfterAll
  static void unbind() {
    cluster = null;
  }

  static ExecuteRequest program(String language, String source) {
    return ExecuteRequest.newBuilder()
        .setLanguage(language)
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8(source)))
        .build();
  }

  static ExecutorServiceGrpc.ExecutorServiceBlockingStub globex() {
    return cluster.as("key-globex");
  }

  static List<JobEvent> execute(ExecuteRequest request) {
    List<JobEvent> events = new ArrayList<>();
    globex().execute(request).forEachRemaining(events::add);
    return events;
  }

  static String stdout(List<JobEvent> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    events.stream()
        .filter(JobEvent::hasStdout)
        .forEach(e -> out.writeBytes(e.getStdout().toByteArray()));
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  static Result result(List<JobEvent> events) {
    return events.get(events.size() - 1).getResult();
  }

  @Test
  void aPythonProgramRunsAndStreamsItsOutput() {
    List<JobEvent> events = execute(program("python", "print('hello from', 'python')"));

    assertThat(stdout(events)).isEqualTo("hello from python\n");
    assertThat(result(events).getVerdict()).isEqualTo(Verdict.VERDICT_OK);
  }

  @Test
  void aCProgramInAnotherQueueCompilesAndRuns() {
    List<JobEvent> events =
        execute(program("c", "#include <stdio.h>\nint main(){puts(\"hello from c\");}"));

    assertThat(stdout(events)).isEqualTo("hello from c\n");
    assertThat(result(events).getVerdict()).isEqualTo(Verdict.VERDICT_OK);
  }

  @Test
  void aSubmittedJobIsStreamedFromItsStartAndFromACursor() {
    String jobId =
        globex()
            .submit(LocalCluster.asSubmit(program("python", "print('a')\nprint('b')")))
            .getJobId();
    List<JobEvent> all = new ArrayList<>();
    globex()
        .streamEvents(StreamEventsRequest.newBuilder().setJobId(jobId).build())
        .forEachRemaining(all::add);
    List<JobEvent> after = new ArrayList<>();
    globex()
        .streamEvents(
            StreamEventsRequest.newBuilder()
                .setJobId(jobId)
                .setAfterCursor(all.get(0).getCursor())
                .build())
        .forEachRemaining(after::add);

    assertThat(stdout(all)).isEqualTo("a\nb\n");
    assertThat(after).hasSize(all.size() - 1);
    assertThat(globex().getJob(GetJobRequest.newBuilder().setJobId(jobId).build()).getState())
        .isEqualTo(JobState.JOB_STATE_DONE);
  }

  @Test
  void testCasesAreJudged() {
    ExecuteRequest request =
        program("python", "a, b = map(int, input().split())\nprint(a + b)").toBuilder()
            .addTestCases(
                TestCase.newBuilder()
                    .setName("01")
                    .setStdin(ByteString.copyFromUtf8("1 2\n"))
                    .setExpectedStdout(ByteString.copyFromUtf8("3\n")))
            .addTestCases(
                TestCase.newBuilder()
                    .setName("02")
                    .setStdin(ByteString.copyFromUtf8("2 2\n"))
                    .setExpectedStdout(ByteString.copyFromUtf8("5\n")))
            .build();

    Result result = result(execute(request));

    assertThat(result.getVerdict()).isEqualTo(Verdict.VERDICT_WRONG_ANSWER);
    assertThat(result.getTestCasesPassed()).isEqualTo(1);
  }

  @Test
  void aRunningJobIsCancelled() throws InterruptedException {
    String jobId =
        globex()
            .submit(
                LocalCluster.asSubmit(
                    program("python", "import time\nprint('up', flush=True)\n" + "time.sleep(60)")))
            .getJobId();
    globex()
        .streamEvents(StreamEventsRequest.newBuilder().setJobId(jobId).build())
        .next(); // it is stored

    globex().cancelJob(CancelJobRequest.newBuilder().setJobId(jobId).build());

    assertThat(awaitFinal(globex(), jobId)).isEqualTo(JobState.JOB_STATE_CANCELLED);
  }

  @Test
  void aRetryWithTheSameIdempotencyKeyGetsTheSameJob() {
    ExecuteRequest request =
        program("python", "print('once')").toBuilder().setIdempotencyKey("order-1").build();

    String first = globex().submit(LocalCluster.asSubmit(request)).getJobId();
    String retry = globex().submit(LocalCluster.asSubmit(request)).getJobId();

    assertThat(retry).isEqualTo(first);
  }

  @Test
  void aTenantAtItsMostActiveJobsIsRefusedUntilOneEnds() throws InterruptedException {
    ExecutorServiceGrpc.ExecutorServiceBlockingStub acme = cluster.as("key-acme");
    ExecuteRequest sleeper = program("python", "import time\ntime.sleep(60)");
    String first = acme.submit(LocalCluster.asSubmit(sleeper)).getJobId();
    String second = acme.submit(LocalCluster.asSubmit(sleeper)).getJobId();
    try {
      assertThatThrownBy(() -> acme.submit(LocalCluster.asSubmit(program("python", "print(3)"))))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
      acme.cancelJob(CancelJobRequest.newBuilder().setJobId(first).build());
      awaitFinal(acme, first);

      assertThat(acme.submit(LocalCluster.asSubmit(program("python", "print(4)"))).getJobId())
          .isNotEmpty();
    } finally {
      acme.cancelJob(CancelJobRequest.newBuilder().setJobId(second).build());
    }
  }

  /**
   * A queue client with a 1 s lease, on the cluster's Redis, for jobs of a language no worker runs.
   */
  private static dev.polyrun.queue.RedisQueue shortLease(int maxDeliveries) {
    return dev.polyrun.queue.RedisQueue.connect(
        cluster.redisSettings,
        dev.polyrun.queue.QueueOptions.builder()
            .lease(java.time.Duration.ofSeconds(1))
            .maxDeliveries(maxDeliveries)
            .build(),
        java.time.Duration.ofSeconds(2));
  }

  private static dev.polyrun.proto.v1.SubmitRequest ghost() {
    return dev.polyrun.proto.v1.SubmitRequest.newBuilder()
        .setLanguage("ghost")
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8("boo")))
        .build();
  }

  @Test
  void aJobWhoseWorkerStopsRenewingIsTakenOverByAnother() throws InterruptedException {
    try (dev.polyrun.queue.RedisQueue queue = shortLease(3)) {
      String id = queue.submit(ghost());
      assertThat(queue.take("dies", java.time.Duration.ofMillis(500), List.of("ghost")))
          .isPresent();
      Thread.sleep(1200); // past the lease

      dev.polyrun.queue.Delivery taken =
          queue.take("next", java.time.Duration.ofMillis(500), List.of("ghost")).orElseThrow();

      assertThat(taken.jobId()).isEqualTo(id);
      assertThat(taken.reclaimed()).isTrue();
      assertThat(taken.attempt()).isEqualTo(2);
      assertThat(
              queue.complete(
                  taken,
                  1,
                  Result.newBuilder().setVerdict(Verdict.VERDICT_OK).build(),
                  JobState.JOB_STATE_DONE))
          .isTrue();
      queue.ack(taken);
      assertThat(queue.getJob(id).orElseThrow().getState()).isEqualTo(JobState.JOB_STATE_DONE);
    }
  }

  @Test
  void aJobWhoseWorkersKeepDyingEndsInTheDeadLetterStream() throws InterruptedException {
    try (dev.polyrun.queue.RedisQueue queue = shortLease(1)) {
      String id = queue.submit(ghost());
      assertThat(queue.take("dies", java.time.Duration.ofMillis(500), List.of("ghost")))
          .isPresent();
      Thread.sleep(1200);

      assertThat(queue.take("next", java.time.Duration.ofMillis(500), List.of("ghost"))).isEmpty();

      assertThat(queue.deadLettered()).isEqualTo(1);
      assertThat(queue.getJob(id).orElseThrow().getResult().getErrorReason())
          .isEqualTo(dev.polyrun.queue.ErrorReasons.DELIVERY_LIMIT);
    }
  }

  static JobState awaitFinal(ExecutorServiceGrpc.ExecutorServiceBlockingStub owner, String jobId) {
    return Await.value(
        java.time.Duration.ofSeconds(30),
        () ->
            java.util.Optional.of(
                    owner.getJob(GetJobRequest.newBuilder().setJobId(jobId).build()).getState())
                .filter(
                    state ->
                        state == JobState.JOB_STATE_DONE || state == JobState.JOB_STATE_CANCELLED),
        "job " + jobId + " is done or cancelled");
  }
}
