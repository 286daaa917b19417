package dev.polyrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.polyrun.config.StageLimit;
import dev.polyrun.config.StageLimits;
import dev.polyrun.coordinator.AuthMode;
import dev.polyrun.coordinator.Tenant;
import dev.polyrun.coordinator.Tenants;
import dev.polyrun.proto.v1.CancelJobRequest;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.GetJobRequest;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.ListLanguagesRequest;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.StreamEventsRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API keys, tenant isolation, quotas and tenant maxima through the real coordinator, Redis and worker. */
class TenantsIT {
  private static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    Tenant small = new Tenant("small", Set.of(Tenants.sha256Hex("key-small")), 10, 100, 100,
        Optional.of(StageLimits.UNSET.with(StageLimit.MEMORY, 64L << 20)));
    cluster = LocalCluster.builder().coordinator(b -> b.auth(AuthMode.KEYS).tenants(Tenants.of(List.of(
        LocalCluster.tenant("acme", "key-acme", 2, 100, 100),
        LocalCluster.tenant("globex", "key-globex", 100, 100, 100),
        LocalCluster.tenant("slow", "key-slow", 100, 1, 2),
        small)))).start();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  private static ExecuteRequest python(String source) {
    return ExecuteRequest.newBuilder().setLanguage("python")
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8(source))).build();
  }

  private static StatusRuntimeException refusal(ThrowingCallable call, Status.Code code) {
    List<StatusRuntimeException> caught = new ArrayList<>();
    assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      caught.add(e);
    });
    return caught.get(0);
  }

  @Test
  void reflectionAndHealthAnswerWithoutAKeySoGenericClientsCanDiscoverTheService() {
    var reflection = io.grpc.reflection.v1.ServerReflectionGrpc.newStub(cluster.channel);
    java.util.concurrent.CompletableFuture<io.grpc.reflection.v1.ServerReflectionResponse> answer = new java.util.concurrent.CompletableFuture<>();
    var requests = reflection.serverReflectionInfo(new io.grpc.stub.StreamObserver<>() {
      @Override
      public void onNext(io.grpc.reflection.v1.ServerReflectionResponse value) {
        answer.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        answer.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    });
    requests.onNext(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build());

    assertThat(answer.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join().getListServicesResponse().getServiceList())
        .extracting(io.grpc.reflection.v1.ServiceResponse::getName).contains("polyrun.v1.ExecutorService");
    requests.onCompleted();
    assertThat(io.grpc.health.v1.HealthGrpc.newBlockingStub(cluster.channel)
        .check(io.grpc.health.v1.HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void aCallWithoutAKeyOrWithAnUnknownKeyIsUnauthenticated() {
    StatusRuntimeException missing = refusal(() -> cluster.blocking()
        .listLanguages(ListLanguagesRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED);
    assertThat(missing.getStatus().getDescription()).startsWith("missing API key");

    StatusRuntimeException unknown = refusal(() -> cluster.as("key-nobody").submit(LocalCluster.asSubmit(python("print(1)"))),
        Status.Code.UNAUTHENTICATED);
    assertThat(unknown.getStatus().getDescription()).startsWith("unknown API key").doesNotContain("key-nobody");
    assertThat(cluster.as("key-globex").listLanguages(ListLanguagesRequest.getDefaultInstance()).getLanguagesCount())
        .isPositive();
  }

  @Test
  void aTenantReadsStreamsAndCancelsOnlyItsOwnJobs() {
    String jobId = cluster.as("key-globex").submit(LocalCluster.asSubmit(python("print('mine')"))).getJobId();
    ExecutorServiceGrpc.ExecutorServiceBlockingStub other = cluster.as("key-acme");
    String unknownMessage = refusal(() -> other.getJob(GetJobRequest.newBuilder()
        .setJobId("00000000-0000-0000-0000-000000000000").build()), Status.Code.NOT_FOUND).getStatus().getDescription();

    StatusRuntimeException read = refusal(() -> other.getJob(GetJobRequest.newBuilder().setJobId(jobId).build()),
        Status.Code.NOT_FOUND);
    refusal(() -> other.cancelJob(CancelJobRequest.newBuilder().setJobId(jobId).build()), Status.Code.NOT_FOUND);
    refusal(() -> other.streamEvents(StreamEventsRequest.newBuilder().setJobId(jobId).build()).forEachRemaining(e -> {}),
        Status.Code.NOT_FOUND);

    assertThat(read.getStatus().getDescription()).isEqualTo(unknownMessage.replace("00000000-0000-0000-0000-000000000000", jobId));
    List<JobEvent> own = new ArrayList<>();
    cluster.as("key-globex").streamEvents(StreamEventsRequest.newBuilder().setJobId(jobId).build()).forEachRemaining(own::add);
    assertThat(own.get(own.size() - 1).hasResult()).isTrue();
  }

  @Test
  void aTenantAtItsMostActiveJobsIsRefusedWithARetryDelayUntilOneEnds() {
    ExecutorServiceGrpc.ExecutorServiceBlockingStub acme = cluster.as("key-acme");
    String first = acme.submit(LocalCluster.asSubmit(python("import time\ntime.sleep(60)"))).getJobId();
    String second = acme.submit(LocalCluster.asSubmit(python("import time\ntime.sleep(60)"))).getJobId();
    try {
      StatusRuntimeException over = refusal(() -> acme.submit(LocalCluster.asSubmit(python("print(3)"))), Status.Code.RESOURCE_EXHAUSTED);
      assertThat(over.getStatus().getDescription())
          .startsWith("tenant acme has 2 jobs queued or running, its most at once; retry when one has finished");
      assertThat(StatusDetails.retryDelay(over)).isEqualTo(Duration.ofSeconds(1));
      assertThat(cluster.as("key-globex").submit(LocalCluster.asSubmit(python("print('others are not hurt')"))).getJobId()).isNotEmpty();

      acme.cancelJob(CancelJobRequest.newBuilder().setJobId(first).build());
      awaitCancelled(first);

      assertThat(acme.submit(LocalCluster.asSubmit(python("print(3)"))).getJobId()).isNotEmpty();
    } finally {
      acme.cancelJob(CancelJobRequest.newBuilder().setJobId(first).build());
      acme.cancelJob(CancelJobRequest.newBuilder().setJobId(second).build());
    }
  }

  private static void awaitCancelled(String jobId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (cluster.queue.getJob(jobId).orElseThrow().getState() != JobState.JOB_STATE_CANCELLED) {
      assertThat(System.nanoTime()).as("job %s cancelled within 10 s", jobId).isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void aKeyedSubmissionRefusedForQuotaCanBeRetriedWithTheSameKey() throws InterruptedException {
    ExecutorServiceGrpc.ExecutorServiceBlockingStub slow = cluster.as("key-slow");
    slow.submit(LocalCluster.asSubmit(python("print(1)")));
    slow.submit(LocalCluster.asSubmit(python("print(2)")));
    ExecuteRequest keyed = python("print('keyed')").toBuilder().setIdempotencyKey("slow-1").build();

    StatusRuntimeException over = refusal(() -> slow.submit(LocalCluster.asSubmit(keyed)), Status.Code.RESOURCE_EXHAUSTED);
    Duration delay = StatusDetails.retryDelay(over);
    assertThat(over.getStatus().getDescription()).startsWith("tenant slow is over its submission rate of 1.000 per second (burst 2)");
    assertThat(delay).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));

    Thread.sleep(delay.toMillis() + 50);

    String jobId = slow.submit(LocalCluster.asSubmit(keyed)).getJobId();
    assertThat(cluster.queue.getJob(jobId)).isPresent();
  }

  @Test
  void aTenantsOwnMaximaApplyToItsRequests() {
    ExecutorServiceGrpc.ExecutorServiceBlockingStub small = cluster.as("key-small");
    ExecuteRequest big = python("print(1)").toBuilder().setRunLimits(Limits.newBuilder().setMemoryBytes(128L << 20)).build();

    StatusRuntimeException refused = refusal(() -> small.submit(LocalCluster.asSubmit(big)), Status.Code.INVALID_ARGUMENT);
    assertThat(refused.getStatus().getDescription())
        .contains("run_limits.memory_bytes: 134217728 (expected: 0 for the default, or 1..67108864)");

    List<JobEvent> events = new ArrayList<>();
    small.execute(big.toBuilder().setClampLimits(true).build()).forEachRemaining(events::add);
    assertThat(events.get(events.size() - 1).getResult().getRun().getLimits().getMemoryBytes()).isEqualTo(64L << 20);
    assertThat(cluster.as("key-globex").submit(LocalCluster.asSubmit(big)).getJobId()).as("the server's maxima for others").isNotEmpty();
  }

  @Test
  void jobsRecordTheirTenant() {
    String jobId = cluster.as("key-globex").submit(LocalCluster.asSubmit(python("print(1)"))).getJobId();

    assertThat(cluster.queue.tenantOf(jobId)).hasValue("globex");
    assertThat(cluster.as("key-globex").getJob(GetJobRequest.newBuilder().setJobId(jobId).build()).getState())
        .isIn(JobState.JOB_STATE_QUEUED, JobState.JOB_STATE_RUNNING, JobState.JOB_STATE_COMPILING, JobState.JOB_STATE_DONE);
  }
}
