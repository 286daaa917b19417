package dev.polyrun.e2e.fault;

import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.queue.QueueOptions;
import dev.polyrun.queue.RedisQueue;
import dev.polyrun.queue.testing.TestRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis, and workers and coordinators as separate processes, with a short lease so that take-overs
 * happen within seconds. Jobs are submitted and observed through the queue API, or through a
 * coordinator's gRPC port. Closing it stops every process, sweeps what killed workers left on the
 * host (containers, cgroups, mounts of work directories), keeps the processes' logs under {@code
 * target/fault-logs} and removes its temporary folder.
 */
final class FaultCluster implements AutoCloseable {
  static final Duration LEASE = Duration.ofSeconds(2);

  /** How long a JVM may take to start: several start at once on a busy CI host. */
  static final Duration START = Duration.ofSeconds(120);

  static final Path IMAGES =
      Path.of(System.getProperty("polyrun.images.dir", "/var/lib/polyrun/images"));
  final TestRedis redis;
  final RedisQueue queue;
  final Path dir;
  private final List<JavaProcess> processes = new ArrayList<>();
  private final java.util.Set<String> stateDirs = new java.util.LinkedHashSet<>();
  private int started;

  FaultCluster() throws IOException {
    this(new String[0]);
  }

  /** A cluster whose redis-server gets {@code redisArgs} too, e.g. {@code --appendfsync always}. */
  FaultCluster(String... redisArgs) throws IOException {
    redis = TestRedis.startLocalOnFreePort(redisArgs);
    queue =
        RedisQueue.connect(
            redis.settings(), QueueOptions.builder().lease(LEASE).build(), Duration.ofSeconds(2));
    dir = Files.createTempDirectory("polyrun-fault");
  }

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("POLYRUN_REDIS_ADDRESS", redis.uri());
    env.put("POLYRUN_QUEUE_LEASE", LEASE.toMillis() + "ms");
    env.put("POLYRUN_IMAGE_DIR", IMAGES.toString());
    return env;
  }

  /** Starts a worker whose state lives in {@code stateDir} (the same dir means the same host). */
  JavaProcess worker(String stateDir, Map<String, String> extra) throws Exception {
    Map<String, String> env = env();
    env.put("POLYRUN_WORKER_STATE_DIR", dir.resolve(stateDir).toString());
    stateDirs.add(stateDir);
    env.put("POLYRUN_WORKER_ID", stateDir + "-" + (++started));
    env.putAll(extra);
    JavaProcess p =
        JavaProcess.start(
            "worker-" + stateDir + "-" + started, "dev.polyrun.worker.WorkerMain", env, dir);
    processes.add(p);
    return p.awaitLog("started with", START);
  }

  JavaProcess worker(String stateDir) throws Exception {
    return worker(stateDir, Map.of());
  }

  JavaProcess coordinator(int grpcPort) throws Exception {
    return coordinator(grpcPort, Map.of());
  }

  JavaProcess coordinator(int grpcPort, Map<String, String> extra) throws Exception {
    Map<String, String> env = env();
    env.put("POLYRUN_COORDINATOR_GRPC_PORT", Integer.toString(grpcPort));
    env.put("POLYRUN_COORDINATOR_HTTP_PORT", Integer.toString(TestRedis.freePort()));
    env.put("POLYRUN_COORDINATOR_AUTH", "none");
    env.putAll(extra);
    JavaProcess p =
        JavaProcess.start(
            "coordinator-" + grpcPort + "-" + (++started),
            "dev.polyrun.coordinator.CoordinatorMain",
            env,
            dir);
    processes.add(p);
    return p.awaitLog("coordinator listening", START);
  }

  static dev.polyrun.proto.v1.ExecuteRequest executePython(String source) {
    return dev.polyrun.proto.v1.ExecuteRequest.newBuilder()
        .setLanguage("python")
        .addFiles(
            dev.polyrun.proto.v1.SourceFile.newBuilder()
                .setContent(com.google.protobuf.ByteString.copyFromUtf8(source)))
        .build();
  }

  static SubmitRequest python(String source) {
    return SubmitRequest.newBuilder()
        .setLanguage("python")
        .addFiles(
            SourceFile.newBuilder().setContent(com.google.protobuf.ByteString.copyFromUtf8(source)))
        .build();
  }

  /** Waits until the job reaches {@code state} in an attempt of at least {@code attempt}. */
  Job awaitState(String jobId, JobState state, int attempt, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Job job = queue.getJob(jobId).orElseThrow();
      if (job.getState() == state && job.getAttempt() >= attempt) {
        return job;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(
        "job "
            + jobId
            + " did not reach "
            + state
            + " (attempt >= "
            + attempt
            + ") within "
            + timeout
            + "; it is "
            + queue.getJob(jobId).orElseThrow());
  }

  /** Runs a read of the queue, retrying while Redis restarts (as any client would). */
  <T> T retrying(java.util.function.Supplier<T> read) throws InterruptedException {
    for (int i = 0; ; i++) {
      try {
        return read.get();
      } catch (dev.polyrun.queue.QueueUnavailableException e) {
        if (i > 100) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  Job awaitFinal(String jobId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Job job = retrying(() -> queue.getJob(jobId)).orElseThrow();
      if (job.getState() == JobState.JOB_STATE_DONE
          || job.getState() == JobState.JOB_STATE_CANCELLED) {
        return job;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "job "
            + jobId
            + " is not final after "
            + timeout
            + ": "
            + queue.getJob(jobId).orElseThrow());
  }

  List<JobEvent> events(String jobId) throws InterruptedException {
    return retrying(() -> queue.readEvents(jobId, "", Duration.ZERO, 100_000));
  }

  /**
   * What a worker with this state dir left on the host: containers, cgroups, mounts, directories.
   */
  List<String> leftovers(String stateDir) throws IOException {
    return dev.polyrun.sandbox.Leftovers.of(dir.resolve(stateDir));
  }

  @Override
  public void close() throws Exception {
    for (JavaProcess p : processes) {
      p.close();
    }
    queue.close();
    redis.close();
    for (String stateDir : stateDirs) {
      // what a worker killed with SIGKILL left: the sweep its restart would have done
      try (dev.polyrun.sandbox.internal.RuncSandbox sandbox =
          dev.polyrun.sandbox.internal.RuncSandbox.open(
              dev.polyrun.sandbox.SandboxOptions.builder()
                  .stateDirectory(dir.resolve(stateDir))
                  .build())) {
        sandbox.sweep();
      }
    }
    keepLogs();
    TestFiles.delete(dir);
  }

  /**
   * The processes' logs, for a failure's diagnosis: {@code target/fault-logs/<this cluster's
   * folder>}.
   */
  private void keepLogs() throws IOException {
    Path logs = Path.of("target", "fault-logs", dir.getFileName().toString());
    Files.createDirectories(logs);
    try (var list = Files.list(dir)) {
      for (Path log : list.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
        Files.copy(
            log,
            logs.resolve(log.getFileName()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
