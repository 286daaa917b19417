package dev.polyrun.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import dev.polyrun.config.StageLimit;
import dev.polyrun.config.StageLimits;
import dev.polyrun.coordinator.AuthMode;
import dev.polyrun.coordinator.Coordinator;
import dev.polyrun.coordinator.Tenant;
import dev.polyrun.coordinator.Tenants;
import dev.polyrun.proto.v1.CancelJobRequest;
import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.GetJobRequest;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Limits;
import dev.polyrun.proto.v1.ListLanguagesRequest;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.StreamEventsRequest;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.queue.Delivery;
import dev.polyrun.queue.testing.Await;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * API keys, tenant isolation, quotas and tenant maxima, against a coordinator over a real
 * redis-server; the test takes and finishes jobs through the queue API where a worker would.
 */
class TenantsIT {
  private Harness harness;
  private ManagedChannel channel;

  @BeforeEach
  void start() {
    harness = new Harness();
    Tenant small =
        new Tenant(
            "small",
            Set.of(Tenants.sha256Hex("key-small")),
            10,
            100,
            100,
            Optional.of(StageLimits.UNSET.with(StageLimit.MEMORY, 64L << 20)));
    Coordinator coordinator =
        harness.coordinator(
            4,
            b ->
                b.auth(AuthMode.KEYS)
                    .tenants(
                        Tenants.of(
                            List.of(
                                tenant("acme", "key-acme", 2, 100, 100),
                                tenant("globex", "key-globex", 100, 100, 100),
                                // one submission per 5 s: three submits fit in the refill time
                                // even on a busy host
                                tenant("slow", "key-slow", 100, 0.2, 2),
                                small))));
    channel = harness.channel(coordinator);
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  private static Tenant tenant(
      String name, String apiKey, int maxActiveJobs, double perSecond, int burst) {
    return new Tenant(
        name, Set.of(Tenants.sha256Hex(apiKey)), maxActiveJobs, perSecond, burst, Optional.empty());
  }

  private ExecutorServiceGrpc.ExecutorServiceBlockingStub as(String apiKey) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
    return Harness.blocking(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static SubmitRequest python(String source) {
    return SubmitRequest.newBuilder()
        .setLanguage("python")
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8(source)))
        .build();
  }

  private static StatusRuntimeException refusal(ThrowingCallable call, Status.Code code) {
    List<StatusRuntimeException> caught = new ArrayList<>();
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              caught.add(e);
            });
    return caught.get(0);
  }

  private static Duration retryDelay(StatusRuntimeException e) throws Exception {
    for (com.google.protobuf.Any detail : StatusProto.fromThrowable(e).getDetailsList()) {
      if (detail.is(RetryInfo.class)) {
        com.google.protobuf.Duration d = detail.unpack(RetryInfo.class).getRetryDelay();
        return Duration.ofSeconds(d.getSeconds(), d.getNanos());
      }
    }
    throw new AssertionError("no RetryInfo in " + e);
  }

  @Test
  void aCallWithoutAKeyOrWithAnUnknownKeyIsUnauthenticatedAndTheKeyIsNeitherEchoedNorLogged() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    logs.start();
    root.addAppender(logs);
    try {
      LoggerFactory.getLogger(Coordinator.class).warn("canary");
      StatusRuntimeException missing =
          refusal(
              () ->
                  Harness.blocking(channel)
                      .listLanguages(ListLanguagesRequest.getDefaultInstance()),
              Status.Code.UNAUTHENTICATED);
      assertThat(missing.getStatus().getDescription()).startsWith("missing API key");

      StatusRuntimeException unknown =
          refusal(
              () -> as("key-nobody-secret").submit(python("print(1)")),
              Status.Code.UNAUTHENTICATED);
      assertThat(unknown.getStatus().getDescription())
          .startsWith("unknown API key")
          .doesNotContain("key-nobody-secret");
      assertThat(
              as("key-globex")
                  .listLanguages(ListLanguagesRequest.getDefaultInstance())
                  .getLanguagesCount())
          .isPositive();
      as("key-globex").submit(python("print(1)"));
    } finally {
      root.detachAppender(logs);
    }
    assertThat(logs.list)
        .as("the capture sees the coordinator's log")
        .anySatisfy(event -> assertThat(event.getFormattedMessage()).isEqualTo("canary"));
    assertThat(logs.list)
        .as("log events")
        .allSatisfy(
            event ->
                assertThat(event.getFormattedMessage())
                    .doesNotContain("key-nobody-secret")
                    .doesNotContain("key-globex"));
  }

  @Test
  void aTenantReadsStreamsAndCancelsOnlyItsOwnJobs() {
    String jobId = as("key-globex").submit(python("print('mine')")).getJobId();
    Delivery d = harness.start();
    harness.finish(d);
    ExecutorServiceGrpc.ExecutorServiceBlockingStub other = as("key-acme");
    String unknownMessage =
        refusal(
                () ->
                    other.getJob(
                        GetJobRequest.newBuilder()
                            .setJobId("00000000-0000-0000-0000-000000000000")
                            .build()),
                Status.Code.NOT_FOUND)
            .getStatus()
            .getDescription();

    StatusRuntimeException read =
        refusal(
            () -> other.getJob(GetJobRequest.newBuilder().setJobId(jobId).build()),
            Status.Code.NOT_FOUND);
    refusal(
        () -> other.cancelJob(CancelJobRequest.newBuilder().setJobId(jobId).build()),
        Status.Code.NOT_FOUND);
    refusal(
        () ->
            other
                .streamEvents(StreamEventsRequest.newBuilder().setJobId(jobId).build())
                .forEachRemaining(e -> {}),
        Status.Code.NOT_FOUND);

    assertThat(d.jobId()).isEqualTo(jobId);
    assertThat(read.getStatus().getDescription())
        .isEqualTo(unknownMessage.replace("00000000-0000-0000-0000-000000000000", jobId));
    List<JobEvent> own = new ArrayList<>();
    as("key-globex")
        .streamEvents(StreamEventsRequest.newBuilder().setJobId(jobId).build())
        .forEachRemaining(own::add);
    assertThat(own.get(own.size() - 1).hasResult()).isTrue();
  }

  @Test
  void aTenantAtItsMostActiveJobsIsRefusedWithARetryDelayUntilOneEnds() throws Exception {
    ExecutorServiceGrpc.ExecutorServiceBlockingStub acme = as("key-acme");
    String first = acme.submit(python("print(1)")).getJobId();
    acme.submit(python("print(2)"));

    StatusRuntimeException over =
        refusal(() -> acme.submit(python("print(3)")), Status.Code.RESOURCE_EXHAUSTED);
    assertThat(over.getStatus().getDescription())
        .startsWith(
            "tenant acme has 2 jobs queued or running, its most at once; retry when one has finished");
    assertThat(retryDelay(over)).isEqualTo(Duration.ofSeconds(1));
    assertThat(as("key-globex").submit(python("print('others are not hurt')")).getJobId())
        .isNotEmpty();

    acme.cancelJob(CancelJobRequest.newBuilder().setJobId(first).build());
    Await.until(
        Duration.ofSeconds(10),
        () -> harness.stateOf(first).orElseThrow() == JobState.JOB_STATE_CANCELLED,
        "job " + first + " is cancelled");

    assertThat(acme.submit(python("print(3)")).getJobId()).isNotEmpty();
  }

  @Test
  void aKeyedSubmissionRefusedForQuotaCanBeRetriedWithTheSameKey() throws Exception {
    ExecutorServiceGrpc.ExecutorServiceBlockingStub slow = as("key-slow");
    slow.submit(python("print(1)"));
    slow.submit(python("print(2)"));
    SubmitRequest keyed = python("print('keyed')").toBuilder().setIdempotencyKey("slow-1").build();

    StatusRuntimeException over = refusal(() -> slow.submit(keyed), Status.Code.RESOURCE_EXHAUSTED);
    Duration delay = retryDelay(over);
    assertThat(over.getStatus().getDescription())
        .startsWith("tenant slow is over its submission rate of 0.2000 per second (burst 2)");
    assertThat(delay).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(5));

    // the refill the refusal announced: a deliberate wait for a time, not for a state
    Thread.sleep(delay.toMillis() + 50);

    String jobId = slow.submit(keyed).getJobId();
    assertThat(harness.stateOf(jobId)).hasValue(JobState.JOB_STATE_QUEUED);
  }

  @Test
  void aTenantsOwnMaximaApplyToItsRequests() {
    ExecutorServiceGrpc.ExecutorServiceBlockingStub small = as("key-small");
    SubmitRequest big =
        python("print(1)").toBuilder()
            .setRunLimits(Limits.newBuilder().setMemoryBytes(128L << 20))
            .build();

    StatusRuntimeException refused = refusal(() -> small.submit(big), Status.Code.INVALID_ARGUMENT);
    assertThat(refused.getStatus().getDescription())
        .contains(
            "run_limits.memory_bytes: 134217728 (expected: 0 for the default, or 1..67108864)");

    String clamped = small.submit(big.toBuilder().setClampLimits(true).build()).getJobId();
    Delivery d = harness.take();
    assertThat(d.jobId()).isEqualTo(clamped);
    assertThat(d.request().getRunLimits().getMemoryBytes())
        .as("what the worker is told")
        .isEqualTo(64L << 20);
    assertThat(as("key-globex").submit(big).getJobId())
        .as("the server's maxima for others")
        .isNotEmpty();
  }

  @Test
  void jobsRecordTheirTenant() {
    String jobId = as("key-globex").submit(python("print(1)")).getJobId();

    assertThat(harness.worker.tenantOf(jobId)).hasValue("globex");
    assertThat(
            as("key-globex").getJob(GetJobRequest.newBuilder().setJobId(jobId).build()).getState())
        .isEqualTo(JobState.JOB_STATE_QUEUED);
  }
}
