package dev.polyrun.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import dev.polyrun.coordinator.AuthMode;
import dev.polyrun.coordinator.Coordinator;
import dev.polyrun.coordinator.Tenant;
import dev.polyrun.coordinator.Tenants;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.GetJobRequest;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.queue.testing.Await;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Submit through a real coordinator: idempotent retries, quotas counted with the job's life, and a
 * pool without a free connection answered as the coordinator being busy, not Redis being down.
 */
class SubmitIT {
  private Harness h;

  @AfterEach
  void close() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private static SubmitRequest program(String source, String key) {
    return SubmitRequest.newBuilder()
        .setLanguage("python")
        .setIdempotencyKey(key)
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8(source)))
        .build();
  }

  private static ExecutorServiceGrpc.ExecutorServiceBlockingStub as(
      ManagedChannel channel, String apiKey) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
    return Harness.blocking(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static Tenant tenant(String name, String key, int maxActive) {
    return new Tenant(name, Set.of(Tenants.sha256Hex(key)), maxActive, 0, 1, Optional.empty());
  }

  @Test
  void aRetryWhoseFirstReplyWasLostGetsTheSameJobAndConcurrentRetriesMakeOne() throws Exception {
    h = new Harness();
    ManagedChannel channel = h.channel(h.coordinator(4, b -> {}));
    SubmitRequest request = program("print('once')", "order-1");
    // a first call the client gave up on (whether or not it reached the coordinator), then retries
    assertThatThrownBy(
            () ->
                Harness.blocking(channel)
                    .withDeadlineAfter(1, java.util.concurrent.TimeUnit.NANOSECONDS)
                    .submit(request))
        .isInstanceOf(StatusRuntimeException.class);

    ExecutorService pool = Executors.newFixedThreadPool(8);
    Set<String> ids = new HashSet<>();
    try {
      List<Callable<String>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        calls.add(() -> Harness.blocking(channel).submit(request).getJobId());
      }
      for (Future<String> f : pool.invokeAll(calls)) {
        ids.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(ids).hasSize(1);
    assertThat(h.raw.keys("polyrun:*:job:*")).as("one job stored").hasSize(1);
    StatusRuntimeException reused =
        (StatusRuntimeException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> Harness.blocking(channel).submit(program("print('other')", "order-1")));
    assertThat(reused.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(reused.getStatus().getDescription()).contains("(job " + ids.iterator().next() + ")");
  }

  @Test
  void aTenantAtItsMostActiveJobsIsRefusedUntilOneEndsAndARefusalStoresNothing() throws Exception {
    h = new Harness();
    ManagedChannel channel =
        h.channel(
            h.coordinator(
                4,
                b ->
                    b.auth(AuthMode.KEYS)
                        .tenants(
                            Tenants.of(
                                List.of(
                                    tenant("acme", "key-acme", 2),
                                    tenant("globex", "key-globex", 2))))));
    var acme = as(channel, "key-acme");
    String first = acme.submit(program("print(1)", "")).getJobId();
    acme.submit(program("print(2)", ""));

    StatusRuntimeException over =
        (StatusRuntimeException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> acme.submit(program("print(3)", "")));
    assertThat(over.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(over.getStatus().getDescription())
        .startsWith("tenant acme has 2 jobs queued or running");
    assertThat(h.raw.keys("polyrun:*:job:*")).hasSize(2);
    assertThat(as(channel, "key-globex").submit(program("print(4)", "")).getJobId()).isNotEmpty();

    var d = h.start();
    h.finish(d); // one of acme's two ends (the worker takes the oldest)
    assertThat(h.stateOf(first)).contains(JobState.JOB_STATE_DONE);

    assertThat(acme.submit(program("print(5)", "")).getJobId()).isNotEmpty();
  }

  @Test
  void aPoolWithNoFreeConnectionIsServerBusyCountedAndNotRedisDown() throws Exception {
    h = new Harness();
    Coordinator c = h.coordinator(1, b -> {});
    ManagedChannel channel = h.channel(c);
    String jobId = Harness.blocking(channel).submit(program("print(1)", "")).getJobId();
    // a blocking read holds the coordinator's only pooled connection (as a long call would)
    CompletableFuture<?> holder =
        CompletableFuture.runAsync(
            () ->
                coordinatorQueueOf(c)
                    .readEvents(jobId, lastCursor(jobId), Duration.ofSeconds(5), 1));
    Harness.sleep(300);

    StatusRuntimeException busy =
        (StatusRuntimeException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    Harness.blocking(channel)
                        .getJob(GetJobRequest.newBuilder().setJobId(jobId).build()));

    assertThat(busy.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(busy.getStatus().getDescription())
        .startsWith(
            "this coordinator is busy: none of its pooled Redis"
                + " connections became free in time (Redis is not known to be down)");
    com.google.rpc.Status details = StatusProto.fromThrowable(busy);
    assertThat(details.getDetailsList())
        .anySatisfy(
            any -> assertThat(any.unpack(ErrorInfo.class).getReason()).isEqualTo("SERVER_BUSY"));
    assertThat(metrics(c)).contains("polyrun_redis_pool_exhausted_total{call=\"GetJob\"");
    holder.get();
    assertThat(
            Harness.blocking(channel)
                .getJob(GetJobRequest.newBuilder().setJobId(jobId).build())
                .getJobId())
        .as("answered again once a connection is free")
        .isEqualTo(jobId);
  }

  @Test
  void anExecuteWhoseClientLeavesCancelsItsJobWhenAskedTo() throws Exception {
    h = new Harness();
    ManagedChannel channel = h.channel(h.coordinator(4, b -> {}));
    ExecuteRequest request =
        ExecuteRequest.newBuilder()
            .setLanguage("python")
            .setCancelOnDisconnect(true)
            .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8("print(1)")))
            .build();
    Collector<ExecuteRequest> client = Collector.reading();
    io.grpc.Context.CancellableContext call = io.grpc.Context.current().withCancellation();
    call.run(() -> ExecutorServiceGrpc.newStub(channel).execute(request, client));
    Await.until(
        Duration.ofSeconds(30),
        () -> !client.received().isEmpty(),
        "the first event of the Execute call");
    String jobId = client.received().get(0).getJobId();

    call.cancel(null);

    Await.until(
        Duration.ofSeconds(10),
        () -> h.stateOf(jobId).orElseThrow() == JobState.JOB_STATE_CANCELLED,
        "job " + jobId + " is cancelled");
    assertThat(client.received()).extracting(JobEvent::getJobId).containsOnly(jobId);
  }

  private dev.polyrun.queue.JobQueue coordinatorQueueOf(Coordinator c) {
    return h.queueOf(c);
  }

  private String lastCursor(String jobId) {
    List<JobEvent> events = h.worker.readEvents(jobId, "", Duration.ZERO, 100);
    return events.get(events.size() - 1).getCursor();
  }

  private static String metrics(Coordinator c) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.httpPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return response.body();
  }
}
