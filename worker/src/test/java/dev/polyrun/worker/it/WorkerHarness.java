package dev.polyrun.worker.it;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.SubmitRequest;
import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.SourceFile;
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
import io.opentelemetry.api.OpenTelemetry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real worker (in this JVM) on a real Redis with the real images; jobs go in through the queue. */
final class WorkerHarness implements AutoCloseable {
  static final Path IMAGES = Path.of(System.getProperty("polyrun.images.dir", "/var/lib/polyrun/images"));
  final TestRedis redis = TestRedis.start();
  final RedisQueue queue = RedisQueue.connect(redis.settings(), QueueOptions.defaults(), Duration.ofSeconds(2));
  final Path state;
  final Worker worker;

  WorkerHarness() throws IOException {
    this(1);
  }

  /** A worker with {@code slots} slots. */
  WorkerHarness(int slots) throws IOException {
    state = Files.createTempDirectory("polyrun-worker-it");
    RuncSandbox sandbox = new RuncSandbox(SandboxOptions.builder().stateDirectory(state).build());
    LanguageCatalog catalog = LanguageCatalog.load(IMAGES);
    JobRunner runner = new JobRunner(queue, sandbox, catalog,
        new JobMetrics(OpenTelemetry.noop().getMeter("test")), new JobRunner.WorkDirSize(64L << 20, 4096));
    worker = new Worker(queue, runner, catalog, new WorkerOptions("it-worker", slots, Duration.ofMillis(200), Duration.ofSeconds(5)));
    worker.start();
  }

  static SubmitRequest program(String language, String source) {
    return SubmitRequest.newBuilder().setLanguage(language)
        .addFiles(SourceFile.newBuilder().setContent(ByteString.copyFromUtf8(source))).build();
  }

  /** A finished job and its events. */
  record Outcome(Job job, List<JobEvent> events) {
    byte[] stdoutBytes() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      events.stream().filter(JobEvent::hasStdout).forEach(e -> out.writeBytes(e.getStdout().toByteArray()));
      return out.toByteArray();
    }

    String stdout() {
      return new String(stdoutBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    String stderr() {
      StringBuilder err = new StringBuilder();
      events.stream().filter(JobEvent::hasStderr).forEach(e -> err.append(e.getStderr().toStringUtf8()));
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
      if (job.getState() == JobState.JOB_STATE_DONE || job.getState() == JobState.JOB_STATE_CANCELLED) {
        return new Outcome(job, queue.readEvents(id, "", Duration.ZERO, 100_000));
      }
      Thread.sleep(20);
    }
    throw new AssertionError("job did not finish: " + queue.getJob(id));
  }

  Outcome run(String language, String source) throws InterruptedException {
    return run(program(language, source));
  }

  /** What the worker left on the host: work directories, bundles, containers, mounts, cgroups, processes. */
  List<String> leftovers() throws IOException {
    return dev.polyrun.worker.internal.sandbox.Leftovers.of(state, 100_000 + 1000);
  }

  @Override
  public void close() {
    worker.close();
    queue.close();
    redis.close();
  }
}
