package dev.polyrun.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The coordinator's health as orchestrators and gRPC clients read it: {@code /healthz} says the
 * process is up, {@code /readyz} and the gRPC health service say whether Redis answers.
 */
class HealthIT {
  @RegisterExtension static final TestCoordinator cluster = new TestCoordinator();

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + cluster.coordinator.httpPort() + path);
    return HTTP.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static ServingStatus grpcHealth(String service) {
    return HealthGrpc.newBlockingStub(cluster.channel)
        .withDeadlineAfter(20, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build())
        .getStatus();
  }

  @Test
  void aCoordinatorWhoseRedisAnswersIsLiveAndReadyOnBothPorts() throws Exception {
    assertThat(get("/healthz"))
        .satisfies(
            r -> {
              assertThat(r.statusCode()).isEqualTo(200);
              assertThat(r.body()).isEqualTo("ok\n");
            });
    assertThat(get("/readyz"))
        .satisfies(
            r -> {
              assertThat(r.statusCode()).isEqualTo(200);
              assertThat(r.body()).isEqualTo("ready\n");
            });
    assertThat(grpcHealth("polyrun.v1.ExecutorService")).isEqualTo(ServingStatus.SERVING);
    assertThat(grpcHealth("")).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void anUnknownPathOrServiceIsNotFoundAndSaysWhatIsThere() throws Exception {
    HttpResponse<String> missing = get("/status");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("/healthz", "/readyz", "/metrics");
    try {
      grpcHealth("polyrun.v1.NoSuchService");
      throw new AssertionError("an unknown service was reported healthy");
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }
  }

  @Test
  void aStalledRedisMakesTheCoordinatorNotReadyButStillLiveUntilRedisAnswersAgain()
      throws Exception {
    assumeTrue(cluster.redis.isLocal(), "needs a local redis-server to stall");
    cluster.redis.pause();
    try {
      assertThat(get("/healthz").statusCode()).isEqualTo(200);
      HttpResponse<String> notReady = get("/readyz");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).contains("redis does not answer");
      assertThat(grpcHealth("polyrun.v1.ExecutorService")).isEqualTo(ServingStatus.NOT_SERVING);
    } finally {
      cluster.redis.resume();
    }
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    assertThat(grpcHealth("polyrun.v1.ExecutorService")).isEqualTo(ServingStatus.SERVING);
  }
}
