package dev.polyrun.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.polyrun.coordinator.AuthMode;
import dev.polyrun.coordinator.Tenants;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.SourceFile;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retries with an idempotency key return the same job, per tenant, through the real cluster. */
class IdempotencyIT {
  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.of(
          b ->
              b.coordinator(
                  c ->
                      c.auth(AuthMode.KEYS)
                          .tenants(
                              Tenants.of(
                                  List.of(
                                      LocalCluster.tenant("acme", "key-acme", 100, 100, 100),
                                      LocalCluster.tenant(
                                          "globex", "key-globex", 100, 100, 100))))));

  private static ExecuteRequest request(String key, String source) {
    return ExecuteRequest.newBuilder()
        .setLanguage("python")
        .setIdempotencyKey(key)
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8(source)))
        .build();
  }

  @Test
  void aRetriedSubmitReturnsTheSameJob() {
    ExecuteRequest request = request("order-1", "print('once')");

    String first = cluster.as("key-acme").submit(LocalCluster.asSubmit(request)).getJobId();
    String retry = cluster.as("key-acme").submit(LocalCluster.asSubmit(request)).getJobId();

    assertThat(retry).isEqualTo(first);
    assertThat(cluster.get().queue.getJob(first)).isPresent();
  }

  @Test
  void anExecuteRetryStreamsTheJobOfTheFirstSubmission() {
    ExecuteRequest request = request("order-2", "print('streamed once')");
    String jobId = cluster.as("key-acme").submit(LocalCluster.asSubmit(request)).getJobId();

    List<JobEvent> events = new ArrayList<>();
    cluster
        .as("key-acme")
        .execute(request.toBuilder().setCancelOnDisconnect(true).build())
        .forEachRemaining(events::add);

    assertThat(events).allSatisfy(e -> assertThat(e.getJobId()).isEqualTo(jobId));
    assertThat(events.get(events.size() - 1).hasResult()).isTrue();
  }

  @Test
  void theSameKeyWithADifferentRequestIsRefused() {
    String jobId =
        cluster
            .as("key-acme")
            .submit(LocalCluster.asSubmit(request("order-3", "print(1)")))
            .getJobId();

    assertThatThrownBy(
            () ->
                cluster
                    .as("key-acme")
                    .submit(LocalCluster.asSubmit(request("order-3", "print(2)"))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo(
                      "idempotency_key 'order-3' was used for a different"
                          + " request within its 1h retention (job "
                          + jobId
                          + ") (expected: the same request again, or a new key)");
            });
  }

  @Test
  void theSameKeyOfAnotherTenantIsAnotherJob() {
    ExecuteRequest request = request("order-4", "print(4)");

    String acme = cluster.as("key-acme").submit(LocalCluster.asSubmit(request)).getJobId();
    String globex = cluster.as("key-globex").submit(LocalCluster.asSubmit(request)).getJobId();

    assertThat(globex).isNotEqualTo(acme);
  }

  @Test
  void concurrentRetriesOfOneRequestMakeOneJob() throws Exception {
    ExecuteRequest request = request("order-5", "print(5)");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<String>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(() -> cluster.as("key-acme").submit(LocalCluster.asSubmit(request)).getJobId());
      }
      Set<String> ids = new HashSet<>();
      for (Future<String> f : pool.invokeAll(calls)) {
        ids.add(f.get());
      }
      assertThat(ids).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRefusedRequestLeavesItsKeyFreeForTheCorrectedRetry() {
    ExecuteRequest bad = request("order-6", "print(6)").toBuilder().setLanguage("intercal").build();
    assertThatThrownBy(() -> cluster.as("key-acme").submit(LocalCluster.asSubmit(bad)))
        .isInstanceOf(StatusRuntimeException.class);

    String jobId =
        cluster
            .as("key-acme")
            .submit(LocalCluster.asSubmit(request("order-6", "print(6)")))
            .getJobId();

    assertThat(jobId).isNotEmpty();
  }
}
