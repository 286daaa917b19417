package dev.polyrun.coordinator.it;

import dev.polyrun.coordinator.AuthMode;
import dev.polyrun.coordinator.Coordinator;
import dev.polyrun.coordinator.CoordinatorOptions;
import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.Result;
import dev.polyrun.proto.v1.StateChange;
import dev.polyrun.proto.v1.Verdict;
import dev.polyrun.queue.Delivery;
import dev.polyrun.queue.QueueOptions;
import dev.polyrun.queue.QueueUnavailableException;
import dev.polyrun.queue.RedisAdmission;
import dev.polyrun.queue.RedisQueue;
import dev.polyrun.queue.RedisSettings;
import dev.polyrun.queue.testing.TestRedis;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * Real parts for the coordinator's integration tests: a redis-server, coordinators on free ports
 * (each with its own small connection pool, as a process has), grpc-java channels to them, and a
 * stand-in worker that takes, publishes and completes jobs through the queue API.
 */
final class Harness implements AutoCloseable {
  final TestRedis redis;
  final RedisClient raw;
  final RedisQueue worker;
  private final QueueOptions queueOptions;
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final java.util.Map<Coordinator, RedisQueue> queues = new java.util.HashMap<>();

  Harness(QueueOptions queueOptions) {
    this(queueOptions, TestRedis.start());
  }

  /** A harness on {@code redis}, which it closes. */
  Harness(QueueOptions queueOptions, TestRedis redis) {
    this.redis = redis;
    raw = RedisClient.create(redis.host(), redis.port());
    this.queueOptions = queueOptions;
    worker = RedisQueue.connect(redis.settings(), queueOptions, Duration.ofSeconds(2));
    worker.advertise(List.of(Language.newBuilder().setName("python").setVersion("3.11.2").build()));
  }

  Harness() {
    this(QueueOptions.defaults());
  }

  /**
   * A coordinator with a pool of {@code poolSize} connections; {@code change} adjusts its options.
   */
  Coordinator coordinator(int poolSize, Consumer<CoordinatorOptions.Builder> change) {
    RedisSettings settings = redis.settings().withPool(poolSize, Duration.ofMillis(500));
    RedisQueue queue = RedisQueue.connect(settings, queueOptions, Duration.ofSeconds(2));
    RedisAdmission admission = RedisAdmission.sharing(queue, queueOptions);
    CoordinatorOptions.Builder options =
        CoordinatorOptions.builder()
            .host("127.0.0.1")
            .grpcPort(0)
            .httpPort(0)
            .auth(AuthMode.NONE)
            .jobRetention(queueOptions.jobTtl());
    change.accept(options);
    Coordinator c = Coordinator.start(queue, admission, options.build());
    queues.put(c, queue);
    closing.add(0, queue);
    closing.add(0, c);
    return c;
  }

  /** The queue (and pool) coordinator {@code c} runs on. */
  RedisQueue queueOf(Coordinator c) {
    return queues.get(c);
  }

  ManagedChannel channel(Coordinator c) {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", c.grpcPort()).usePlaintext().build();
    closing.add(0, () -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return channel;
  }

  static ExecutorServiceGrpc.ExecutorServiceBlockingStub blocking(ManagedChannel channel) {
    return ExecutorServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  /** Takes the next job as the stand-in worker. */
  Delivery take() {
    return retrying(() -> worker.take("test-worker", Duration.ofMillis(200))).orElseThrow();
  }

  /** Numbers the events this harness writes (a worker numbers each attempt's events from 1). */
  private final java.util.concurrent.atomic.AtomicLong seq =
      new java.util.concurrent.atomic.AtomicLong();

  /** Takes the next job and returns it once RUNNING has been published. */
  Delivery start() {
    Delivery d = take();
    long n = seq.incrementAndGet();
    retrying(
        () ->
            worker.publish(
                d, n, state(JobState.JOB_STATE_RUNNING, d.attempt()), JobState.JOB_STATE_RUNNING));
    return d;
  }

  void print(Delivery d, String text) {
    long n = seq.incrementAndGet();
    retrying(
        () ->
            worker.publish(
                d,
                n,
                JobEvent.newBuilder()
                    .setStdout(com.google.protobuf.ByteString.copyFromUtf8(text))
                    .build(),
                null));
  }

  void finish(Delivery d) {
    long n = seq.incrementAndGet();
    retrying(
        () ->
            worker.complete(
                d,
                n,
                Result.newBuilder().setVerdict(Verdict.VERDICT_OK).build(),
                JobState.JOB_STATE_DONE));
    retrying(
        () -> {
          worker.ack(d);
          return null;
        });
  }

  private static JobEvent state(JobState state, int attempt) {
    return JobEvent.newBuilder()
        .setState(StateChange.newBuilder().setState(state).setAttempt(attempt))
        .build();
  }

  /** Rides out a Redis restart in the stand-in worker, as the real worker does. */
  static <T> T retrying(Supplier<T> call) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        return call.get();
      } catch (QueueUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        sleep(100);
      }
    }
  }

  /**
   * Connections Redis has open now that are named {@code name} (the event readers are
   * "polyrun-events").
   */
  long connectionsNamed(String name) {
    return clientList().lines().filter(l -> l.contains(" name=" + name + " ")).count();
  }

  /** Closes the connections named {@code name}, as a network failure would. */
  void killConnectionsNamed(String name) {
    for (String line : clientList().lines().toList()) {
      if (line.contains(" name=" + name + " ")) {
        String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
        retrying(() -> raw.sendCommand(Protocol.Command.CLIENT, "KILL", "ID", id));
      }
    }
  }

  private String clientList() {
    Object reply = retrying(() -> raw.sendCommand(Protocol.Command.CLIENT, "LIST"));
    return new String((byte[]) reply, java.nio.charset.StandardCharsets.UTF_8);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Optional<JobState> stateOf(String jobId) {
    return retrying(() -> worker.getJob(jobId)).map(dev.polyrun.proto.v1.Job::getState);
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : closing) {
      try {
        c.close();
      } catch (Exception e) {
        // closing anyway
      }
    }
    worker.close();
    raw.close();
    redis.close();
  }
}
