package dev.polyrun.e2e.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.StreamEventsRequest;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.queue.testing.TestRedis;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A coordinator killed while a client streams: the client resumes on another one, losing and
 * repeating nothing.
 */
@Tag("fault")
class CoordinatorFaultIT {
  private FaultCluster cluster;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    cluster = new FaultCluster();
  }

  @AfterEach
  void stop() throws Exception {
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    cluster.close();
  }

  private ExecutorServiceGrpc.ExecutorServiceBlockingStub stub(int port) {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    channels.add(channel);
    return ExecutorServiceGrpc.newBlockingStub(channel);
  }

  @Test
  void sigtermStopsTheCoordinatorWithExitZeroAndItsClientsResumeElsewhere() throws Exception {
    cluster.worker("host-a");
    int firstPort = TestRedis.freePort();
    JavaProcess first =
        cluster.coordinator(firstPort, java.util.Map.of("POLYRUN_COORDINATOR_DRAIN_PERIOD", "1s"));
    int secondPort = TestRedis.freePort();
    cluster.coordinator(secondPort);
    Iterator<JobEvent> stream =
        stub(firstPort)
            .execute(
                FaultCluster.executePython(
                    "import time\nfor i in range(30):\n  print(i, flush=True)\n  time.sleep(0.1)"));
    List<JobEvent> seen = new ArrayList<>();
    seen.add(stream.next());

    first.signal("TERM");
    try {
      while (stream.hasNext()) {
        seen.add(stream.next());
      }
    } catch (io.grpc.StatusRuntimeException cut) {
      // the drain period ended before the job did
    }
    assertThat(first.awaitExit(java.time.Duration.ofSeconds(15))).isZero();
    JobEvent last = seen.get(seen.size() - 1);
    if (!last.hasResult()) {
      stub(secondPort)
          .streamEvents(
              StreamEventsRequest.newBuilder()
                  .setJobId(last.getJobId())
                  .setAfterCursor(last.getCursor())
                  .build())
          .forEachRemaining(seen::add);
    }

    assertThat(
            seen.stream()
                .filter(JobEvent::hasStdout)
                .map(e -> e.getStdout().toStringUtf8())
                .collect(Collectors.joining()))
        .isEqualTo(IntStream.range(0, 30).mapToObj(i -> i + "\n").collect(Collectors.joining()));
    assertThat(seen).isEqualTo(cluster.events(last.getJobId()));
  }

  @Test
  void clientResumesOnAnotherCoordinatorFromItsLastCursor() throws Exception {
    cluster.worker("host-a");
    int firstPort = TestRedis.freePort();
    JavaProcess first = cluster.coordinator(firstPort);
    int secondPort = TestRedis.freePort();
    cluster.coordinator(secondPort);
    String expected = IntStream.range(0, 40).mapToObj(i -> i + "\n").collect(Collectors.joining());

    Iterator<JobEvent> stream =
        stub(firstPort)
            .execute(
                FaultCluster.executePython(
                    "import time\nfor i in range(40):\n  print(i, flush=True)\n  time.sleep(0.1)"));
    List<JobEvent> seen = new ArrayList<>();
    while (seen.stream().filter(JobEvent::hasStdout).count() < 5) {
      seen.add(stream.next());
    }
    first.kill9();
    assertThatThrownBy(
            () -> {
              while (stream.hasNext()) {
                seen.add(stream.next());
              }
            })
        .isInstanceOf(io.grpc.StatusRuntimeException.class);

    JobEvent last = seen.get(seen.size() - 1);
    stub(secondPort)
        .streamEvents(
            StreamEventsRequest.newBuilder()
                .setJobId(last.getJobId())
                .setAfterCursor(last.getCursor())
                .build())
        .forEachRemaining(seen::add);

    List<String> cursors = seen.stream().map(JobEvent::getCursor).toList();
    assertThat(new LinkedHashSet<>(cursors)).as("no event repeated").hasSameSizeAs(cursors);
    assertThat(
            seen.stream()
                .filter(JobEvent::hasStdout)
                .map(e -> e.getStdout().toStringUtf8())
                .collect(Collectors.joining()))
        .isEqualTo(expected);
    assertThat(seen)
        .last()
        .satisfies(e -> assertThat(e.getResult().getVerdict()).isEqualTo(Verdict.VERDICT_OK));
    assertThat(seen).isEqualTo(cluster.events(last.getJobId()));
  }

  private static int status(int httpPort, String path) throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    return http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + httpPort + path))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void aCoordinatorStartedBeforeRedisWaitsNotReadyAndServesOnceRedisAnswers() throws Exception {
    int redisPort = TestRedis.freePort();
    int httpPort = TestRedis.freePort();
    JavaProcess coordinator =
        cluster.coordinator(
            TestRedis.freePort(),
            java.util.Map.of(
                "POLYRUN_REDIS_ADDRESS",
                "redis://127.0.0.1:" + redisPort,
                "POLYRUN_COORDINATOR_HTTP_PORT",
                Integer.toString(httpPort)));
    coordinator.awaitLog("waiting for redis", java.time.Duration.ofSeconds(30));
    assertThat(status(httpPort, "/healthz")).as("alive").isEqualTo(200);
    assertThat(status(httpPort, "/readyz")).as("not ready").isEqualTo(503);

    try (TestRedis late = TestRedis.startLocal(redisPort)) {
      coordinator.awaitLog("connected to redis", java.time.Duration.ofSeconds(30));
      assertThat(status(httpPort, "/readyz")).isEqualTo(200);
      assertThat(coordinator.isAlive()).isTrue();
    }
  }

  @Test
  void aCoordinatorPromisingFsyncRefusesARedisThatDoesNotFsyncEveryWrite() throws Exception {
    JavaProcess coordinator =
        cluster.coordinator(
            TestRedis.freePort(), java.util.Map.of("POLYRUN_COORDINATOR_DURABILITY", "fsync"));

    assertThat(coordinator.awaitExit(java.time.Duration.ofSeconds(30))).isEqualTo(2);
    assertThat(coordinator.log())
        .contains("appendfsync is everysec")
        .contains("appendfsync always");
  }
}
