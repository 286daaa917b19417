package dev.polyrun.worker.it;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.SourceFile;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.queue.QueueOptions;
import dev.polyrun.queue.RedisQueue;
import dev.polyrun.queue.testing.TestRedis;
import dev.polyrun.sandbox.Leftovers;
import dev.polyrun.sandbox.PolicyOverride;
import dev.polyrun.worker.Worker;
import dev.polyrun.worker.WorkerSettings;
import io.opentelemetry.api.OpenTelemetry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real worker (in this JVM) on a real Redis with the real images; jobs go in through the queue.
 */
final class WorkerHarness implements AutoCloseable {
  static final Path IMAGES =
      Path.of(System.getProperty("polyrun.images.dir", "/var/lib/polyrun/images"));
  final TestRedis redis = TestRedis.start();
  final RedisQueue queue =
      RedisQueue.connect(redis.settings(), QueueOptions.defaults(), Duration.ofSeconds(2));
  final Path state;

  /** The worker, with a sandbox of its own; it sees {@link #queue} (through a view, if given). */
  final Worker worker;

  WorkerHarness() throws IOException {
    this(1, java.util.function.UnaryOperator.identity());
  }

  /** A worker with {@code slots} slots. */
  WorkerHarness(int slots) throws IOException {
    this(slots, java.util.function.UnaryOperator.identity());
  }

  /** A worker that sees the queue through {@code view} (e.g. one that loses replies). */
  WorkerHarness(java.util.function.UnaryOperator<dev.polyrun.queue.WorkQueue> view)
      throws IOException {
    this(1, view);
  }

  /** A worker with {@code slots} slots that sees the queue through {@code view}. */
  WorkerHarness(int slots, java.util.function.UnaryOperator<dev.polyrun.queue.WorkQueue> view)
      throws IOException {
    state = Files.createTempDirectory("polyrun-worker-it");
    WorkerSettings settings =
        WorkerSettings.builder()
            .workerId("it-worker")
            .slots(slots)
            .stateDir(state)
            .imageDir(IMAGES)
            .pollInterval(Duration.ofMillis(200))
            .gracePeriod(Duration.ofSeconds(5))
            // Host ids far from the default range: workers of other checkouts on this host may use
            // it.
            .sandboxPolicy(
                PolicyOverride.parse(
                    "{\"ids\": {\"base\": 1100000000}}", "test ids", PolicyOverride.Scope.OPERATOR))
            .build();
    try {
      worker =
          Worker.builder(settings)
              .queue(view.apply(queue))
              .openTelemetry(OpenTelemetry.noop())
              .build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    worker.start();
  }

  static SubmitRequest program(String language, String source) {
    return SubmitRequest.newBuilder()
        .setLanguage(language)
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8(source)))
        .build();
  }

  /** A test resource as text, e.g. a hostile program under {@code hostile/}. */
  static String resource(String path) {
    try (var in = WorkerHarness.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("test resource not found: " + path);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A finished job and its events. */
  record Outcome(Job job, List<JobEvent> events) {
    byte[] stdoutBytes() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      events.stream()
          .filter(JobEvent::hasStdout)
          .forEach(e -> out.writeBytes(e.getStdout().toByteArray()));
      return out.toByteArray();
    }

    String stdout() {
      return new String(stdoutBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    String stderr() {
      StringBuilder err = new StringBuilder();
      events.stream()
          .filter(JobEvent::hasStderr)
          .forEach(e -> err.append(e.getStderr().toStringUtf8()));
      return err.toString();
    }

    dev.polyrun.proto.v1.Result result() {
      return job.getResult();
    }
  }

  Outcome run(SubmitRequest request) throws InterruptedException {
    return await(submit(request));
  }

  /** Queues the job; returns its id. */
  String submit(SubmitRequest request) {
    return queue.submit(request);
  }

  /** Waits (up to two minutes) for the job to finish. */
  Outcome await(String id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      Job job = queue.getJob(id).orElseThrow();
      if (job.getState() == JobState.JOB_STATE_DONE
          || job.getState() == JobState.JOB_STATE_CANCELLED) {
        return new Outcome(job, queue.readEvents(id, "", Duration.ZERO, 100_000));
      }
      Thread.sleep(20);
    }
    throw new AssertionError("job did not finish: " + queue.getJob(id));
  }

  Outcome run(String language, String source) throws InterruptedException {
    return run(program(language, source));
  }

  /**
   * What the worker left on the host: work directories, bundles, containers, mounts, cgroups,
   * processes.
   */
  List<String> leftovers() throws IOException {
    return Leftovers.of(state);
  }

  @Override
  public void close() {
    worker.close();
    queue.close();
    redis.close();
    // every job removed its own work directory and mounts; what is left are empty folders
    try (var walk = Files.walk(state)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp folder; reported by the next Leftovers check if it matters
    }
  }
}
