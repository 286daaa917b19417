package dev.polyrun.worker.it;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.ExecuteRequest;
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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A real worker (in this JVM) on a real Redis with the real images; jobs go in through the queue. */
final class WorkerHarness implements AutoCloseable {
  static final Path IMAGES = Path.of(System.getProperty("polyrun.images.dir", "/var/lib/polyrun/images"));
  final TestRedis redis = TestRedis.start();
  final RedisQueue queue = RedisQueue.connect(redis.settings(), QueueOptions.defaults(), Duration.ofSeconds(2));
  final Path state;
  final Worker worker;

  WorkerHarness() throws IOException {
    state = Files.createTempDirectory("polyrun-worker-it");
    RuncSandbox sandbox = new RuncSandbox(SandboxOptions.builder().stateDirectory(state).build());
    LanguageCatalog catalog = LanguageCatalog.load(IMAGES);
    JobRunner runner = new JobRunner(queue, sandbox, catalog,
        new JobMetrics(OpenTelemetry.noop().getMeter("test")), new JobRunner.WorkDirSize(64L << 20, 4096));
    worker = new Worker(queue, runner, catalog, new WorkerOptions("it-worker", 1, Duration.ofMillis(200), Duration.ofSeconds(5)));
    worker.start();
  }

  static ExecuteRequest program(String language, String source) {
    return ExecuteRequest.newBuilder().setLanguage(language)
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

  Outcome run(ExecuteRequest request) throws InterruptedException {
    String id = queue.submit(request);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      Job job = queue.getJob(id).orElseThrow();
      if (job.getState() == JobState.DONE || job.getState() == JobState.CANCELLED) {
        return new Outcome(job, queue.readEvents(id, "", Duration.ZERO, 100_000));
      }
      Thread.sleep(20);
    }
    throw new AssertionError("job did not finish: " + queue.getJob(id));
  }

  Outcome run(String language, String source) throws InterruptedException {
    return run(program(language, source));
  }

  /** What the worker left on the host: work directories, bundles, containers, mounts, cgroups. */
  List<String> leftovers() throws IOException {
    List<String> left = new ArrayList<>();
    for (String sub : List.of("work", "bundles")) {
      try (Stream<Path> list = Files.list(state.resolve(sub))) {
        list.forEach(p -> left.add(sub + ": " + p.getFileName()));
      }
    }
    try (Stream<Path> list = Files.list(state.resolve("runtime"))) {
      list.forEach(p -> left.add("container: " + p.getFileName()));
    }
    if (Files.readString(Path.of("/proc/self/mountinfo")).contains(state.toString())) {
      left.add("a mount under " + state);
    }
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          for (String line : Files.readAllLines(proc.resolve("status"))) {
            if (line.startsWith("Uid:") && line.split("\\s+")[1].equals(Integer.toString(100_000 + 1000))) {
              left.add("process " + proc.getFileName() + " of the sandbox user");
            }
          }
        } catch (IOException gone) {
          // exited while we looked
        }
      }
    }
    String instance = RuncSandbox.instanceName(state);
    for (Path cg : List.of(Path.of("/sys/fs/cgroup/pids/polyrun", instance), Path.of("/sys/fs/cgroup/polyrun", instance))) {
      if (Files.isDirectory(cg)) {
        try (Stream<Path> list = Files.list(cg)) {
          list.filter(Files::isDirectory).forEach(p -> left.add("cgroup: " + p.getFileName()));
        }
      }
    }
    return left;
  }

  @Override
  public void close() {
    worker.close();
    queue.close();
    redis.close();
  }
}
