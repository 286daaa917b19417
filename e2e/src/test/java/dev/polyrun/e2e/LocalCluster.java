package dev.polyrun.e2e;

import dev.polyrun.coordinator.Coordinator;
import dev.polyrun.coordinator.CoordinatorOptions;
import dev.polyrun.coordinator.ServerLimits;
import dev.polyrun.proto.v1.ExecutorGrpc;
import dev.polyrun.queue.QueueOptions;
import dev.polyrun.queue.RedisQueue;
import dev.polyrun.queue.testing.TestRedis;
import dev.polyrun.worker.Worker;
import dev.polyrun.worker.WorkerOptions;
import dev.polyrun.worker.internal.job.JobMetrics;
import dev.polyrun.worker.internal.job.JobRunner;
import dev.polyrun.worker.internal.sandbox.RuncSandbox;
import dev.polyrun.worker.language.LanguageCatalog;
import dev.polyrun.worker.sandbox.SandboxOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A whole cluster in the test JVM, made of the real parts: redis-server, a coordinator on free
 * ports, a worker running runc containers from the built images, and a grpc-java channel to it.
 */
final class LocalCluster implements AutoCloseable {
  /** Where the images are built: {@code -Dpolyrun.images.dir}, else the default location. */
  static final Path IMAGES = Path.of(System.getProperty("polyrun.images.dir", "/var/lib/polyrun/images"));

  final TestRedis redis;
  final RedisQueue queue;
  final Worker worker;
  final Coordinator coordinator;
  final ManagedChannel channel;
  final Path stateDir;

  LocalCluster() throws IOException {
    redis = TestRedis.start();
    queue = RedisQueue.connect(redis.settings(), QueueOptions.defaults(), Duration.ofSeconds(2));
    stateDir = Files.createTempDirectory("polyrun-worker");
    RuncSandbox sandbox = new RuncSandbox(SandboxOptions.builder().stateDirectory(stateDir).build());
    LanguageCatalog catalog = LanguageCatalog.load(IMAGES);
    if (catalog.find("python").isEmpty() || catalog.find("c").isEmpty()) {
      throw new IllegalStateException("the python and c images are not built in " + IMAGES + "; run images/build python c");
    }
    JobRunner runner = new JobRunner(queue, sandbox, catalog,
        new JobMetrics(OpenTelemetry.noop().getMeter("test")), new JobRunner.WorkDirSize(64L << 20, 4096));
    worker = new Worker(queue, runner, catalog,
        new WorkerOptions("test-worker", 2, Duration.ofMillis(500), Duration.ofSeconds(5)));
    worker.start();
    coordinator = Coordinator.start(queue, new CoordinatorOptions("127.0.0.1", 0, 0, ServerLimits.defaults()));
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", coordinator.grpcPort()).usePlaintext().build();
    awaitLanguages();
  }

  private void awaitLanguages() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (queue.languages().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the worker did not advertise its languages");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  ExecutorGrpc.ExecutorBlockingStub blocking() {
    return ExecutorGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  String target() {
    return "127.0.0.1:" + coordinator.grpcPort();
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    coordinator.close();
    worker.close();
    queue.close();
    redis.close();
  }
}
