package dev.polyrun.e2e;

import dev.polyrun.coordinator.AuthMode;
import dev.polyrun.coordinator.Coordinator;
import dev.polyrun.coordinator.CoordinatorOptions;
import dev.polyrun.coordinator.Tenant;
import dev.polyrun.coordinator.Tenants;
import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.queue.QueueOptions;
import dev.polyrun.queue.RedisAdmission;
import dev.polyrun.queue.RedisQueue;
import dev.polyrun.queue.RedisSettings;
import dev.polyrun.queue.testing.TestRedis;
import dev.polyrun.queue.testing.TestRedisCluster;
import dev.polyrun.queue.testing.TestSentinel;
import dev.polyrun.worker.Worker;
import dev.polyrun.worker.WorkerSettings;
import dev.polyrun.worker.language.LanguageCatalog;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A whole cluster in the test JVM, made of the real parts: redis-server, a coordinator on free
 * ports, a worker running runc containers from the built images, and a grpc-java channel to it.
 *
 * <p>{@code new LocalCluster()} runs the coordinator without API keys ({@code auth=none}, the local
 * mode); {@link #builder()} configures tenants, admission, TLS, the queue and the worker.
 */
final class LocalCluster implements AutoCloseable {
  /** Where the images are built: {@code -Dpolyrun.images.dir}, else the default location. */
  static final Path IMAGES =
      Path.of(System.getProperty("polyrun.images.dir", "/var/lib/polyrun/images"));

  /**
   * Which Redis topology a cluster runs on; every one is started as local redis-server processes.
   */
  enum RedisTopology {
    /** One redis-server. */
    STANDALONE,
    /** A Redis Cluster: three masters with a replica each. */
    CLUSTER,
    /** A master, its replica and three sentinels. */
    SENTINEL
  }

  /** The standalone Redis; null on the other topologies. */
  final TestRedis redis;

  /** The Redis Cluster; null on the other topologies. */
  final TestRedisCluster redisCluster;

  /** The Sentinel topology; null on the other topologies. */
  final TestSentinel sentinel;

  final RedisSettings redisSettings;
  final RedisQueue queue;
  final RedisAdmission admission;

  /** The first worker (null without workers); {@link #workers} holds them all. */
  final Worker worker;

  final List<Worker> workers = new ArrayList<>();

  /** The languages the workers serve. */
  private final Set<String> served = new java.util.HashSet<>();

  final Coordinator coordinator;
  final ManagedChannel channel;
  final Path stateDir;

  LocalCluster() throws IOException {
    this(builder());
  }

  private LocalCluster(Builder b) throws IOException {
    redis = b.topology == RedisTopology.STANDALONE ? TestRedis.start() : null;
    redisCluster = b.topology == RedisTopology.CLUSTER ? TestRedisCluster.start(3, 1) : null;
    sentinel = b.topology == RedisTopology.SENTINEL ? TestSentinel.start() : null;
    redisSettings =
        redis != null
            ? redis.settings()
            : redisCluster != null ? redisCluster.settings() : sentinel.settings();
    queue = RedisQueue.connect(redisSettings, b.queueOptions, Duration.ofSeconds(2));
    admission = RedisAdmission.connect(redisSettings, b.queueOptions);
    stateDir = Files.createTempDirectory("polyrun-worker");
    if (b.workerSlots > 0) {
      List<Set<String>> pools = b.pools.isEmpty() ? List.of(Set.of()) : b.pools;
      for (int i = 0; i < pools.size(); i++) {
        workers.add(
            startWorker(
                "test-worker" + (i == 0 ? "" : "-" + i),
                b.workerSlots,
                pools.get(i),
                b.queueOptions));
      }
    }
    worker = workers.isEmpty() ? null : workers.get(0);
    CoordinatorOptions.Builder options =
        CoordinatorOptions.builder()
            .host("127.0.0.1")
            .grpcPort(0)
            .httpPort(0)
            .auth(AuthMode.NONE)
            .jobRetention(b.queueOptions.jobTtl());
    b.coordinator.accept(options);
    coordinator = Coordinator.start(queue, admission, options.build());
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", coordinator.grpcPort())
            .usePlaintext()
            .build();
    if (worker != null) {
      awaitLanguages();
    }
  }

  static Builder builder() {
    return new Builder();
  }

  /** What differs from the default cluster. */
  static final class Builder {
    private QueueOptions queueOptions = QueueOptions.defaults();
    private int workerSlots = 2;
    private Consumer<CoordinatorOptions.Builder> coordinator = b -> {};
    private RedisTopology topology = RedisTopology.STANDALONE;
    private final List<Set<String>> pools = new ArrayList<>();

    /** The Redis topology; default one redis-server. */
    Builder redis(RedisTopology topology) {
      this.topology = topology;
      return this;
    }

    /**
     * Adds a worker that serves only {@code languages} (a mixed fleet); without any, one worker
     * serves every built image.
     */
    Builder workerServing(String... languages) {
      this.pools.add(Set.of(languages));
      return this;
    }

    Builder queue(QueueOptions options) {
      this.queueOptions = options;
      return this;
    }

    /** Slots of the worker; 0 starts no worker. */
    Builder workerSlots(int slots) {
      this.workerSlots = slots;
      return this;
    }

    /** Changes the coordinator's options (which start as auth=none on free ports). */
    Builder coordinator(Consumer<CoordinatorOptions.Builder> change) {
      this.coordinator = this.coordinator.andThen(change);
      return this;
    }

    LocalCluster start() throws IOException {
      return new LocalCluster(this);
    }
  }

  /** A tenant with {@code apiKey} and the given quotas, for {@link Builder#coordinator}. */
  static Tenant tenant(String name, String apiKey, int maxActiveJobs, double perSecond, int burst) {
    return new Tenant(
        name, Set.of(Tenants.sha256Hex(apiKey)), maxActiveJobs, perSecond, burst, Optional.empty());
  }

  private Worker startWorker(String id, int slots, Set<String> languages, QueueOptions queueOptions)
      throws IOException {
    LanguageCatalog built = LanguageCatalog.load(IMAGES);
    if (built.find("python").isEmpty() || built.find("c").isEmpty()) {
      throw new IllegalStateException(
          "the python and c images are not built in " + IMAGES + "; run images/build python c");
    }
    WorkerSettings settings =
        WorkerSettings.builder()
            .workerId(id)
            .slots(slots)
            .imageDir(IMAGES)
            .stateDir(Files.createDirectories(stateDir.resolve(id)))
            .languages(List.copyOf(languages))
            .queue(queueOptions)
            .pollInterval(Duration.ofMillis(500))
            .gracePeriod(Duration.ofSeconds(5))
            .build();
    Worker w;
    try {
      w = Worker.builder(settings).queue(queue).openTelemetry(OpenTelemetry.noop()).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    served.addAll(w.queueNames());
    w.start();
    return w;
  }

  private void awaitLanguages() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!queue.servedQueues().containsAll(served)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the workers did not advertise their languages " + served);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  ExecutorServiceGrpc.ExecutorServiceBlockingStub blocking() {
    return ExecutorServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  /** A stub that sends {@code authorization: Bearer <apiKey>}. */
  ExecutorServiceGrpc.ExecutorServiceBlockingStub as(String apiKey) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
    return blocking().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  String target() {
    return "127.0.0.1:" + coordinator.grpcPort();
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    coordinator.close();
    for (Worker w : workers) {
      w.close();
    }
    admission.close();
    queue.close();
    for (AutoCloseable r : new AutoCloseable[] {redis, redisCluster, sentinel}) {
      if (r != null) {
        r.close();
      }
    }
    // the worker removed each job's work directory and mounts; its own folders are left
    try (var walk = Files.walk(stateDir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The SubmitRequest of an ExecuteRequest's job (the contract numbers their job fields alike). */
  static dev.polyrun.proto.v1.SubmitRequest asSubmit(dev.polyrun.proto.v1.ExecuteRequest request) {
    try {
      return dev.polyrun.proto.v1.SubmitRequest.parseFrom(
          request.toBuilder().clearCancelOnDisconnect().build().toByteString());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }
}
