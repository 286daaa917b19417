package dev.polyrun.worker.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.queue.QueueOptions;
import dev.polyrun.queue.RedisQueue;
import dev.polyrun.queue.testing.TestRedis;
import dev.polyrun.sandbox.PolicyOverride;
import dev.polyrun.sandbox.Sandbox;
import dev.polyrun.worker.Worker;
import dev.polyrun.worker.WorkerSettings;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a worker built by {@link Worker#builder} closes: what the builder opened, never what it was
 * handed.
 */
class WorkerAssemblyIT {
  /** Host ids of their own: the sandbox's claim on them shows whether it is open. */
  private static final long IDS = 1_300_000_000L;

  private static final Path CLAIMS = Path.of("/run/polyrun/ids");
  @TempDir Path state;

  private WorkerSettings settings(TestRedis redis) {
    return WorkerSettings.builder()
        .workerId("assembly-it")
        .stateDir(state)
        .imageDir(WorkerHarness.IMAGES)
        .redis(redis.settings())
        .pollInterval(Duration.ofMillis(200))
        .gracePeriod(Duration.ofSeconds(1))
        .sandboxPolicy(
            PolicyOverride.parse(
                "{\"ids\": {\"base\": " + IDS + "}}", "test ids", PolicyOverride.Scope.OPERATOR))
        .build();
  }

  @Test
  void closingTheWorkerClosesTheSandboxAndTheQueueTheBuilderOpened() throws Exception {
    try (TestRedis redis = TestRedis.start()) {
      int before = connectedClients(redis);
      Worker worker = Worker.builder(settings(redis)).openTelemetry(OpenTelemetry.noop()).build();
      worker.start();
      assertThat(claims()).isNotEmpty();
      assertThat(connectedClients(redis)).isGreaterThan(before);

      worker.close();

      assertThat(claims()).isEmpty();
      assertThat(awaitClients(redis, before)).isEqualTo(before);
    }
  }

  @Test
  void closingTheWorkerLeavesTheQueueAndTheSandboxItWasHandedOpen() throws Exception {
    WorkerSettings settings;
    try (TestRedis redis = TestRedis.start();
        RedisQueue queue =
            RedisQueue.connect(redis.settings(), QueueOptions.defaults(), Duration.ofSeconds(2))) {
      settings = settings(redis);
      try (Sandbox sandbox = Sandbox.open(settings.sandboxOptions())) {
        Worker worker =
            Worker.builder(settings)
                .queue(queue)
                .sandbox(sandbox)
                .openTelemetry(OpenTelemetry.noop())
                .build();
        worker.start();

        worker.close();

        assertThat(claims()).isNotEmpty();
        String id = queue.submit(WorkerHarness.program("python", "print(1)"));
        assertThat(queue.getJob(id)).isPresent();
      }
      assertThat(claims()).isEmpty();
    }
  }

  /** The claim files of this test's host ids. */
  private static List<Path> claims() throws IOException {
    if (!Files.isDirectory(CLAIMS)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(CLAIMS)) {
      return list.filter(p -> p.getFileName().toString().startsWith(IDS + "-")).toList();
    }
  }

  /** Waits (up to 10 s) for Redis to count {@code expected} clients; returns the last count. */
  private static int awaitClients(TestRedis redis, int expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    int count = connectedClients(redis);
    while (count != expected && System.nanoTime() < deadline) {
      Thread.sleep(50);
      count = connectedClients(redis);
    }
    return count;
  }

  /** Redis's {@code connected_clients}, read by redis-cli (whose own connection is left out). */
  private static int connectedClients(TestRedis redis) throws Exception {
    Process p =
        new ProcessBuilder(
                "redis-cli",
                "-h",
                redis.host(),
                "-p",
                Integer.toString(redis.port()),
                "info",
                "clients")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.lines()
        .filter(l -> l.startsWith("connected_clients:"))
        .findFirst()
        .map(l -> Integer.parseInt(l.substring("connected_clients:".length()).strip()) - 1)
        .orElseThrow(() -> new AssertionError("no connected_clients in: " + out));
  }
}
