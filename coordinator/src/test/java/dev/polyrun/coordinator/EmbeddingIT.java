package dev.polyrun.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.queue.QueueOptions;
import dev.polyrun.queue.RedisAdmission;
import dev.polyrun.queue.RedisQueue;
import dev.polyrun.queue.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A coordinator started on a caller's Vert.x, as an application embedding it does. */
class EmbeddingIT {
  private static TestRedis redis;
  private static RedisQueue queue;
  private static RedisAdmission admission;

  @BeforeAll
  static void start() {
    redis = TestRedis.start();
    queue = RedisQueue.connect(redis.settings(), QueueOptions.defaults(), Duration.ofSeconds(2));
    admission = RedisAdmission.sharing(queue, QueueOptions.defaults());
  }

  @AfterAll
  static void stop() {
    queue.close();
    redis.close();
  }

  private static Coordinator.Builder on(Vertx vertx) {
    return Coordinator.builder()
        .vertx(vertx)
        .queue(queue)
        .admission(admission)
        .options(
            CoordinatorOptions.builder()
                .host("127.0.0.1")
                .grpcPort(0)
                .httpPort(0)
                .auth(AuthMode.NONE)
                .build());
  }

  private static int healthz(int port) throws Exception {
    HttpRequest get =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
            .timeout(Duration.ofSeconds(10))
            .build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
  }

  @Test
  void closingACoordinatorOnACallersVertxFreesItsPortsAndLeavesTheVertxRunning() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Coordinator first = on(vertx).start();
      Coordinator second = on(vertx).start();
      int grpcPort = first.grpcPort();
      assertThat(second.grpcPort())
          .as("port 0 picks a port of its own for each")
          .isNotEqualTo(grpcPort);
      assertThat(healthz(first.httpPort())).isEqualTo(200);
      assertThat(healthz(second.httpPort())).isEqualTo(200);

      first.close();

      assertThat(vertx.deploymentIDs()).as("the second coordinator's servers only").hasSize(1);
      assertThat(healthz(second.httpPort()))
          .as("the other coordinator on the same Vert.x")
          .isEqualTo(200);
      HttpServer rebound =
          vertx
              .createHttpServer()
              .requestHandler(r -> r.response().end())
              .listen(grpcPort, "127.0.0.1")
              .await();
      rebound.close().await();
      second.close();
      assertThat(vertx.deploymentIDs()).isEmpty();
      CompletableFuture<Long> timer = new CompletableFuture<>();
      vertx.setTimer(1, timer::complete);
      assertThat(timer.get(10, TimeUnit.SECONDS)).as("the Vert.x still runs timers").isNotNull();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aCoordinatorThatCannotBindGivesBackWhatItTookFromTheVertx() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      Coordinator.Builder builder =
          Coordinator.builder()
              .vertx(vertx)
              .queue(queue)
              .admission(admission)
              .options(
                  CoordinatorOptions.builder()
                      .host("127.0.0.1")
                      .grpcPort(0)
                      .httpPort(taken.getLocalPort())
                      .auth(AuthMode.NONE)
                      .build());

      assertThatThrownBy(builder::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("HTTP port " + taken.getLocalPort());
      assertThat(vertx.deploymentIDs()).as("the gRPC servers it had started").isEmpty();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void startingWithoutARequiredPartNamesIt() {
    assertThatThrownBy(
            () ->
                Coordinator.builder()
                    .queue(queue)
                    .options(CoordinatorOptions.builder().build())
                    .start())
        .isInstanceOf(NullPointerException.class)
        .hasMessageStartingWith("admission");
  }

  @Test
  void startingOnAnEventLoopIsRefusedInsteadOfBlockingIt() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<Throwable> refused = new CompletableFuture<>();
      vertx.runOnContext(
          v -> {
            try {
              on(vertx).start().close();
              refused.complete(null);
            } catch (RuntimeException e) {
              refused.complete(e);
            }
          });

      assertThat(refused.get(30, TimeUnit.SECONDS))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("event loop");
      assertThat(vertx.deploymentIDs()).isEmpty();
    } finally {
      vertx.close().await();
    }
  }
}
